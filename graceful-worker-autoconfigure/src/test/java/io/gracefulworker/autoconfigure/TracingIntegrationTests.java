package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.gracefulworker.Job;
import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Micrometer Tracing (Brave) in the application, a job runs in the trace of the request
 * that enqueued it: request, enqueue and execution are one trace, the execution a child of the
 * enqueue, carried by a W3C traceparent in the job's record and never in its arguments.
 */
@ExtendWith(RedisExtension.class)
class TracingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private ConfigurableApplicationContext context;

	@BeforeEach
	void start(RedisServer redis) {
		redis.flushAll();
		Spans.ended.clear();
		Traced.traceIds.clear();
		List<String> all = new ArrayList<>(redis.springProperties());
		all.add("spring.main.banner-mode=off");
		all.add("graceful-worker.worker.queues.default=1");
		all.add("management.tracing.sampling.probability=1.0");
		// Records as JSON, whatever the fleet reads, so that the test reads the trace context's field.
		all.add("graceful-worker.enqueue.record-layout=json");
		this.context = new SpringApplicationBuilder(TracedApplication.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
	}

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void aJobRunsInTheTraceOfTheRequestThatEnqueuedIt() {
		ObservationRegistry registry = this.context.getBean(ObservationRegistry.class);
		JobClient client = this.context.getBean(JobClient.class);
		JobId id = Observation.createNotStarted("test.request", registry)
			.observe(() -> client.schedule("test.traced", Duration.ofMillis(300), "secret-argument"));
		String record = (String) this.context.getBean(StringRedisTemplate.class)
			.opsForHash()
			.get(RedisJobKeys.of("gw", "default").jobs(), id.value());
		await().atMost(WAIT).until(() -> span("run test.traced").isPresent() && !Traced.traceIds.isEmpty());
		MutableSpan request = span("test.request").orElseThrow();
		// The trace context is a field of the stored record, not an argument.
		assertThat(record).contains("\"tp\":\"00-" + request.traceId() + "-").doesNotContain("\"args\":\"[\\\"00-");
		MutableSpan enqueue = span("enqueue test.traced").orElseThrow();
		MutableSpan execution = span("run test.traced").orElseThrow();
		assertThat(enqueue.traceId()).isEqualTo(request.traceId());
		assertThat(execution.traceId()).as("one trace from request to execution").isEqualTo(request.traceId());
		assertThat(enqueue.parentId()).isEqualTo(request.id());
		assertThat(execution.parentId()).as("the execution continues the enqueue").isEqualTo(enqueue.id());
		assertThat(Traced.traceIds).as("the job's own code sees the trace").containsExactly(request.traceId());
		assertThat(Spans.ended).allSatisfy((span) -> assertThat(span.tags().values()).noneMatch(
				(value) -> value.contains("secret-argument")));
	}

	@Test
	void aJobEnqueuedOutsideAnyTraceStartsItsOwn() {
		this.context.getBean(JobClient.class).enqueue("test.traced", "alone");
		await().atMost(WAIT).until(() -> span("run test.traced").isPresent());
		MutableSpan enqueue = span("enqueue test.traced").orElseThrow();
		MutableSpan execution = span("run test.traced").orElseThrow();
		assertThat(enqueue.parentId()).isNull();
		assertThat(execution.traceId()).isEqualTo(enqueue.traceId());
	}

	private static Optional<MutableSpan> span(String name) {
		return Spans.ended.stream().filter((span) -> name.equalsIgnoreCase(span.name())).findFirst();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class TracedApplication {

		@Bean
		SpanHandler spans() {
			return new Spans();
		}

		@Bean
		Traced traced(ObjectProvider<Tracer> tracer) {
			return new Traced(tracer);
		}

	}

	static class Spans extends SpanHandler {

		static final Queue<MutableSpan> ended = new ConcurrentLinkedQueue<>();

		@Override
		public boolean end(TraceContext context, MutableSpan span, Cause cause) {
			ended.add(span);
			return true;
		}

	}

	static class Traced {

		static final Queue<String> traceIds = new ConcurrentLinkedQueue<>();

		private final ObjectProvider<Tracer> tracer;

		Traced(ObjectProvider<Tracer> tracer) {
			this.tracer = tracer;
		}

		@Job(name = "test.traced")
		public void run(String label) {
			Span current = this.tracer.getObject().currentSpan();
			if (current != null) {
				traceIds.add(current.context().traceId());
			}
		}

	}

}
