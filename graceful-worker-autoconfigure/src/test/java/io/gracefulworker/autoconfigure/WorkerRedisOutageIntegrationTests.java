package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.gracefulworker.JobClient;
import io.gracefulworker.WorkerState;
import io.gracefulworker.actuate.WorkerHealthIndicator;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
import io.gracefulworker.core.DrainSnapshot;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.test.redis.RedisServers;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker when Redis goes away: at startup, and in the middle of a run.
 */
class WorkerRedisOutageIntegrationTests {

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void startRedis() {
		// Persisted on every write, so that a stop and start in the middle of a run loses nothing.
		this.redis = RedisServers.start(List.of("--appendonly", "yes", "--appendfsync", "always"));
		TestJobs.reset();
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		this.redis.stop();
	}

	@Test
	void applicationStartsWithoutRedisReportsDownAndWorksOnceRedisIsBack() {
		this.redis.stop();
		this.context = TestApplication.start(this.redis, "graceful-worker.worker.recovery-interval=500ms");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		WorkerHealthIndicator health = this.context.getBean(WorkerHealthIndicator.class);
		assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
		await().atMost(Duration.ofSeconds(30)).until(() -> health.health(true).getStatus().equals(Status.DOWN));
		this.redis.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> health.health(true).getStatus().equals(Status.UP));
		this.context.getBean(JobClient.class).enqueue("test.tick", "after-outage");
		await().atMost(Duration.ofSeconds(20)).until(() -> TestJobs.executions.size() == 1);
	}

	@Test
	void redisStoppedMidRunLosesNoJob() {
		this.context = TestApplication.start(this.redis, "graceful-worker.worker.concurrency=4",
				"graceful-worker.worker.lease-duration=6s", "graceful-worker.worker.recovery-interval=500ms");
		JobClient client = this.context.getBean(JobClient.class);
		int count = 150;
		for (int i = 0; i < count; i++) {
			client.enqueue("test.sleep", "job-" + i, 20L);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> TestJobs.executions.size() >= 20);
		this.redis.stop();
		int duringOutage = TestJobs.executions.size();
		this.redis.start();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> labels().containsAll(IntStream.range(0, count).mapToObj((i) -> "job-" + i).toList()));
		assertThat(duringOutage).isLessThan(count);
		assertThat(this.context.getBean(GracefulWorker.class).state()).isEqualTo(WorkerState.RUNNING);
	}

	// With hand-offs the worker also withdraws its registration as it stops, which must not hold
	// the drain either.
	@ParameterizedTest(name = "hand-offs: {0}")
	@ValueSource(booleans = { false, true })
	void drainWithRedisUnreachableEndsBeforeThePhaseTimeoutAndAnotherWorkerTakesTheJob(boolean handOff) {
		String[] properties = { "spring.lifecycle.timeout-per-shutdown-phase=4s",
				"graceful-worker.worker.shutdown.requeue-reserve=2s", "graceful-worker.worker.lease-duration=3s",
				"graceful-worker.worker.recovery-interval=500ms", "graceful-worker.worker.hand-off=" + handOff };
		this.context = TestApplication.start(this.redis, properties);
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		this.context.getBean(JobClient.class).enqueue("test.stubborn", "outlives-redis");
		await().atMost(Duration.ofSeconds(20)).until(() -> worker.activeJobs().size() == 1);
		this.redis.stop();
		this.context.close();
		DrainSnapshot drain = worker.drain().orElseThrow();
		assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
		assertThat(Duration.between(drain.startedAt(), drain.stoppedAt())).isLessThan(Duration.ofSeconds(4));
		assertThat(drain.requeued()).isZero();
		this.redis.start();
		TestJobs.release.countDown();
		this.context = TestApplication.start(this.redis, properties);
		await().atMost(Duration.ofSeconds(30)).until(() -> TestJobs.stubbornReturned.get() == 2);
		assertThat(this.context.getBean(GracefulWorker.class).totals().recovered()).isEqualTo(1);
	}

	private static Set<String> labels() {
		return TestJobs.executions.stream().map(Execution::label).collect(Collectors.toSet());
	}

}
