package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.gracefulworker.JobClient;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's meters after a run of jobs, in a full application.
 */
@ExtendWith(RedisExtension.class)
class WorkerMetricsIntegrationTests {

	@Test
	void countsByOutcomeMatchWhatRan(RedisServer redis) {
		TestJobs.reset();
		try (ConfigurableApplicationContext context = TestApplication.start(redis)) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			JobClient client = context.getBean(JobClient.class);
			for (int i = 0; i < 5; i++) {
				client.enqueue("test.tick", "ok-" + i);
			}
			client.enqueue("test.fails", "bad");
			await().atMost(Duration.ofSeconds(20))
				.until(() -> timer(registry, "test.fails", "dead").count() == 1
						&& timer(registry, "test.tick", "success").count() == 5);
			assertThat(timer(registry, "test.fails", "retry").count()).isEqualTo(2);
			assertThat(timer(registry, "test.tick", "retry").count()).isZero();
			assertThat(registry.get("graceful.worker.enqueued").tags("job", "test.tick", "queue", "default").counter()
				.count()).isEqualTo(5);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> registry.get("graceful.worker.jobs.active").gauge().value() == 0);
			assertThat(registry.get("graceful.worker.queue.size").tags("queue", "default", "state", "dead").gauge()
				.value()).isEqualTo(1);
		}
	}

	@Test
	void enqueueAndExecutionAreObserved(RedisServer redis) {
		TestJobs.reset();
		try (ConfigurableApplicationContext context = TestApplication.start(redis)) {
			Queue<Observation.Context> seen = new ConcurrentLinkedQueue<>();
			context.getBean(ObservationRegistry.class).observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public void onStop(Observation.Context observed) {
					seen.add(observed);
				}

				@Override
				public boolean supportsContext(Observation.Context observed) {
					return observed.getName().startsWith("graceful.worker.");
				}

			});
			context.getBean(JobClient.class).enqueue("test.tick", "observed");
			await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
			// A worker may run the job before the enqueue's observation stops: the enqueue still
			// records its queue after the job is stored.
			assertThat(seen).extracting(Observation.Context::getName)
				.containsExactlyInAnyOrder("graceful.worker.enqueue", "graceful.worker.execution");
			assertThat(seen).allSatisfy((observed) -> assertThat(observed.getLowCardinalityKeyValue("job").getValue())
				.isEqualTo("test.tick"));
		}
	}

	private static Timer timer(MeterRegistry registry, String job, String outcome) {
		return registry.get("graceful.worker.job").tags("job", job, "queue", "default", "outcome", outcome).timer();
	}

}
