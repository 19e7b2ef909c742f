package io.gracefulworker.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.gracefulworker.JobClient;
import io.gracefulworker.WorkerState;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers in the fleet registry: each publishes its entry at start, at each state change and at
 * each heartbeat, and removes it at a clean stop.
 */
@ExtendWith(RedisExtension.class)
class FleetIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private RedisServer redis;

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	@BeforeEach
	void setUp(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		TestJobs.reset();
	}

	@AfterEach
	void close() {
		TestJobs.release.countDown();
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.first,
				this.second }) {
			if (context != null && context.isActive()) {
				context.close();
			}
		}
	}

	@Test
	void everyWorkerSeesTheWholeFleetWithItsStatesAndJobs() {
		this.first = TestApplication.start(this.redis);
		this.second = TestApplication.start(this.redis, "graceful-worker.worker.concurrency=3");
		GracefulWorker one = this.first.getBean(GracefulWorker.class);
		GracefulWorker two = this.second.getBean(GracefulWorker.class);
		JobQueue queue = this.second.getBean(JobQueue.class);
		// A state change is published on the fleet's own thread, soon after.
		await().atMost(WAIT).until(() -> queue.fleet().size() == 2);
		assertThat(queue.fleet()).extracting(FleetEntry::workerId).containsExactlyInAnyOrder(one.id(), two.id());
		FleetEntry first = entry(queue, one.id()).orElseThrow();
		// Spring Boot's, from the main class's jar.
		assertThat(first.version()).isNotBlank()
			.isEqualTo(this.first.getEnvironment().getProperty("spring.application.version"));
		assertThat(first.state()).isEqualTo(WorkerState.RUNNING);
		assertThat(first.host()).isNotBlank();
		assertThat(entry(queue, two.id()).orElseThrow().concurrency()).isEqualTo(3);
		two.pause();
		await().atMost(WAIT)
			.until(() -> entry(queue, two.id()).map(FleetEntry::state).orElse(null) == WorkerState.PAUSED);
		this.first.getBean(JobClient.class).enqueue("test.stubborn", "held");
		await().atMost(WAIT).until(() -> one.activeJobs().size() == 1);
		// The heartbeat publishes what the worker runs.
		await().atMost(WAIT).until(() -> entry(queue, one.id()).map(FleetEntry::running).orElse(0) == 1);
		assertThat(entry(queue, one.id()).orElseThrow().jobIds()).containsExactly(one.activeJobs().get(0).id());
		TestJobs.release.countDown();
		this.second.close();
		assertThat(this.first.getBean(JobQueue.class).fleet()).extracting(FleetEntry::workerId)
			.containsExactly(one.id());
	}

	@Test
	void aDrainingWorkerShowsItsDeadlineUntilItHasStopped() throws Exception {
		this.first = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=6s");
		// An observer that runs no jobs, so the held job runs on the worker that drains.
		this.second = TestApplication.start(this.redis, "graceful-worker.worker.enabled=false");
		GracefulWorker draining = this.first.getBean(GracefulWorker.class);
		JobQueue queue = this.second.getBean(JobQueue.class);
		this.first.getBean(JobClient.class).enqueue("test.stubborn", "held");
		await().atMost(WAIT).until(() -> draining.activeJobs().size() == 1);
		Thread closing = new Thread(this.first::close);
		closing.start();
		await().atMost(WAIT)
			.until(() -> entry(queue, draining.id()).map(FleetEntry::state).orElse(null) == WorkerState.DRAINING);
		FleetEntry entry = entry(queue, draining.id()).orElseThrow();
		assertThat(entry.drainDeadline())
			.isEqualTo(draining.drain().orElseThrow().deadline().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
		assertThat(entry.running()).isEqualTo(1);
		TestJobs.release.countDown();
		closing.join(WAIT.toMillis());
		assertThat(draining.state()).isEqualTo(WorkerState.STOPPED);
		assertThat(entry(queue, draining.id())).isEmpty();
	}

	private static Optional<FleetEntry> entry(JobQueue queue, String workerId) {
		List<FleetEntry> fleet = queue.fleet();
		return fleet.stream().filter((entry) -> entry.workerId().equals(workerId)).findFirst();
	}

}
