package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import io.gracefulworker.Recurring;
import io.gracefulworker.RecurringJobs;
import io.gracefulworker.core.RecurringStore.ScheduleState;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Cron schedules in full applications against a real Redis: two workers fire each tick once
 * between them, a property disables a schedule, and the API adds and removes one.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class RecurringIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private RedisServer redis;

	@BeforeEach
	void flush(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		EverySecond.ticks.clear();
	}

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void twoWorkersFireEachTickOnceBetweenThemAndMissNone() {
		ConfigurableApplicationContext first = start();
		start();
		await().atMost(WAIT).until(() -> EverySecond.ticks.size() >= 5);
		List<Instant> ticks = new ArrayList<>(EverySecond.ticks);
		Set<Instant> distinct = new HashSet<>(ticks);
		assertThat(distinct).as("no tick twice").hasSameSizeAs(ticks);
		List<Instant> sorted = distinct.stream().sorted().toList();
		for (int i = 1; i < sorted.size(); i++) {
			assertThat(Duration.between(sorted.get(i - 1), sorted.get(i))).as("no tick missed")
				.isEqualTo(Duration.ofSeconds(1));
		}
		ScheduleState state = first.getBean(RecurringJobs.class)
			.schedules()
			.stream()
			.filter((schedule) -> schedule.schedule().job().equals("test.every-second"))
			.findFirst()
			.orElseThrow();
		assertThat(state.declaredBy()).hasSize(2);
		assertThat(state.fires()).isGreaterThanOrEqualTo(5);
		// Each worker counts the ticks it fired; one that won no tick has no such counter.
		double fires = this.contexts.stream()
			.map((context) -> context.getBean(MeterRegistry.class)
				.find("graceful.worker.recurring.fires")
				.tag("job", "test.every-second")
				.counter())
			.filter(Objects::nonNull)
			.mapToDouble(Counter::count)
			.sum();
		assertThat(fires).isGreaterThanOrEqualTo(5);
	}

	@Test
	void aScheduleDisabledByItsPropertyIsNotDeclared() {
		ConfigurableApplicationContext context = start("graceful-worker.recurring.test.every-second.cron=-");
		RecurringJobs recurring = context.getBean(RecurringJobs.class);
		recurring.schedule("test.on-demand", "* * * * * *", ZoneId.of("UTC"));
		await().atMost(WAIT).until(() -> OnDemand.runs.size() >= 2);
		assertThat(recurring.schedules()).extracting((state) -> state.schedule().job())
			.containsExactly("test.on-demand");
		assertThat(EverySecond.ticks).isEmpty();
		assertThat(recurring.unschedule("test.on-demand")).isTrue();
		assertThat(recurring.schedules()).isEmpty();
	}

	@Test
	void anOverrideThatIsNoCronExpressionFailsTheStartupNamingTheProperty(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("graceful-worker.recurring.test.every-second.cron=every minute"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("for configuration property 'graceful-worker.recurring.test.every-second.cron'")
			.contains("it is not a cron expression")
			.contains("Action:");
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(this.redis.springProperties());
		all.add("graceful-worker.worker.queues.default=1");
		all.add("spring.main.banner-mode=off");
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(RecurringApplication.class)
			.web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		this.contexts.add(context);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class RecurringApplication {

		@Bean
		EverySecond everySecond() {
			return new EverySecond();
		}

		@Bean
		OnDemand onDemand() {
			return new OnDemand();
		}

	}

	static class EverySecond {

		static final Queue<Instant> ticks = new ConcurrentLinkedQueue<>();

		@Job(name = "test.every-second")
		@Recurring(cron = "* * * * * *")
		public void run(JobContext context) {
			ticks.add(context.scheduledFor().orElseThrow());
		}

	}

	static class OnDemand {

		static final Queue<Instant> runs = new ConcurrentLinkedQueue<>();

		@Job(name = "test.on-demand")
		public void run(JobContext context) {
			runs.add(context.scheduledFor().orElseThrow());
		}

	}

}
