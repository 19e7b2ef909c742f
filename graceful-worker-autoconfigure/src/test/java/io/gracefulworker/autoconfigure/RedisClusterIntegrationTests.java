package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.gracefulworker.CancelResult;
import io.gracefulworker.DeadJobQuery;
import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobRequest;
import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.DrainSnapshot;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.redis.KeptOutcomes;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.redis.RedisServerVersion;
import io.gracefulworker.test.redis.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job queue and the worker on a Redis Cluster of three masters: every script touches keys of
 * one hash slot, and queues spread over the nodes.
 */
class RedisClusterIntegrationTests {

	private static final List<String> QUEUES = List.of("default", "slow", "alpha", "beta", "gamma", "delta");

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static RedisCluster cluster;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.start();
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@BeforeEach
	void reset() {
		TestJobs.reset();
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			try (RedisClusterConnection connection = this.context.getBean(RedisConnectionFactory.class)
				.getClusterConnection()) {
				connection.serverCommands().flushAll();
			}
			this.context.close();
		}
	}

	@Test
	void queuesSpreadOverTheNodesAndEveryJobRunsOnce() throws Exception {
		Set<Integer> nodes = new HashSet<>();
		for (String queue : QUEUES) {
			nodes.add(cluster.nodeOf(RedisJobKeys.of("gw", queue).ready()));
		}
		assertThat(nodes).as("nodes holding the queues").hasSizeGreaterThan(1);
		this.context = start();
		JobClient client = this.context.getBean(JobClient.class);
		for (String queue : QUEUES) {
			for (int i = 0; i < 20; i++) {
				client.enqueue(JobRequest.of("test.tick", queue + "-" + i).queue(queue));
			}
		}
		await().atMost(WAIT).until(() -> TestJobs.executions.size() >= 120);
		assertThat(TestJobs.executions).extracting(Execution::label).hasSize(120).doesNotHaveDuplicates();
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		for (String queue : QUEUES) {
			RedisJobKeys keys = RedisJobKeys.of("gw", queue);
			// The owners hash names every running job, whichever way its lease is kept.
			await().atMost(WAIT).until(() -> redis.opsForZSet().size(keys.leases()) == 0
					&& redis.opsForHash().size(keys.owners()) == 0
					&& redis.opsForHash().size(keys.jobs()) == KeptOutcomes.count(redis, keys));
		}
	}

	@Test
	void failingJobRetriesAndGoesDeadAndScheduledJobRunsWhenDue() {
		this.context = start();
		JobClient client = this.context.getBean(JobClient.class);
		JobId failing = client.enqueue(JobRequest.of("test.fails", "doomed").queue("gamma"));
		client.enqueue(JobRequest.of("test.tick", "later").queue("delta").delay(Duration.ofMillis(500)));
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		await().atMost(WAIT)
			.until(() -> redis.opsForZSet().score(RedisJobKeys.of("gw", "gamma").dead(), failing.value()) != null);
		await().atMost(WAIT).until(() -> TestJobs.executions.stream().anyMatch((e) -> e.label().equals("later")));
		assertThat(TestJobs.executions.stream().filter((e) -> e.job().equals("test.fails")))
			.extracting(Execution::attempt)
			.containsExactly(1, 2, 3);
	}

	@Test
	void idleWorkerIsWokenByAnEnqueueThroughClusterPubSub() {
		this.context = start("graceful-worker.worker.poll-interval=30s");
		JobClient client = this.context.getBean(JobClient.class);
		client.enqueue(JobRequest.of("test.tick", "first").queue("beta"));
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == 1);
		client.enqueue(JobRequest.of("test.tick", "woken").queue("beta"));
		await().atMost(Duration.ofSeconds(10)).until(() -> TestJobs.executions.size() == 2);
	}

	@Test
	void expiredLeaseIsRecoveredOnTheCluster() {
		this.context = start("graceful-worker.worker.recovery-interval=200ms", "graceful-worker.worker.poll-interval=30s");
		JobClient client = this.context.getBean(JobClient.class);
		client.enqueue(JobRequest.of("test.tick", "settles-the-dispatcher").queue("alpha"));
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == 1);
		this.context.getBean(GracefulWorker.class).pause();
		client.enqueue(JobRequest.of("test.tick", "orphan").queue("alpha"));
		JobQueue queue = this.context.getBean(JobQueue.class);
		List<ClaimedJob> claimed = queue.claim("alpha", 1, Duration.ofMillis(100), "dead-worker:1").jobs();
		assertThat(claimed).hasSize(1);
		this.context.getBean(GracefulWorker.class).resume();
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == 2);
		assertThat(queue.complete("alpha", claimed.stream().map((job) -> new io.gracefulworker.core.FinishedJob(job, java.time.Instant.now(), "dead-worker")).toList()))
			.containsExactly(claimed.get(0).id());
		assertThat(this.context.getBean(GracefulWorker.class).totals().recovered()).isEqualTo(1);
	}

	@Test
	void closeRequeuesAJobPastTheDeadlineOnTheCluster() {
		this.context = start("spring.lifecycle.timeout-per-shutdown-phase=3s",
				"graceful-worker.worker.shutdown.requeue-reserve=1500ms");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		JobId id = this.context.getBean(JobClient.class).enqueue("test.stubborn", "stuck");
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 1);
		this.context.close();
		DrainSnapshot drain = worker.drain().orElseThrow();
		assertThat(drain.requeued()).isEqualTo(1);
		TestJobs.release.countDown();
		this.context = start();
		await().atMost(WAIT).until(() -> TestJobs.stubbornReturned.get() == 2);
		await().atMost(WAIT)
			.until(() -> KeptOutcomes.isKept(this.context.getBean(StringRedisTemplate.class),
					RedisJobKeys.of("gw", "slow"), id.value()));
	}

	@Test
	void jobsAreFoundCancelledRetriedAndTrimmedOnTheCluster() {
		this.context = start("graceful-worker.retention.dead-max=1", "graceful-worker.worker.recovery-interval=200ms");
		JobOperations operations = this.context.getBean(JobOperations.class);
		JobClient client = this.context.getBean(JobClient.class);
		JobId later = client.enqueue(JobRequest.of("test.tick", "later").queue("beta").delay(Duration.ofHours(1)));
		assertThat(operations.status(later).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
		assertThat(operations.cancel(later)).isEqualTo(CancelResult.CANCELLED);
		assertThat(operations.status(later).orElseThrow().queue()).isEqualTo("beta");
		JobId doomed = client.enqueue(JobRequest.of("test.doomed", "x").queue("gamma"));
		await().atMost(WAIT).until(() -> operations.status(doomed).map(JobStatus::state).orElse(null) == JobState.DEAD);
		operations.retryDead(doomed);
		await().atMost(WAIT).until(() -> operations.status(doomed).map(JobStatus::retries).orElse(0) == 1
				&& operations.status(doomed).map(JobStatus::state).orElse(null) == JobState.DEAD);
		JobId other = client.enqueue(JobRequest.of("test.doomed", "y").queue("gamma"));
		await().atMost(WAIT).until(() -> operations.status(doomed).isEmpty()
				&& operations.status(other).map(JobStatus::state).orElse(null) == JobState.DEAD);
		assertThat(operations.deleteDead(DeadJobQuery.all().queue("gamma"))).isEqualTo(1);
	}

	@Test
	void theStartupCheckReadsTheVersionOfEveryMaster() {
		this.context = start();
		Properties info;
		try (RedisConnection connection = this.context.getBean(RedisConnectionFactory.class).getConnection()) {
			info = connection.serverCommands().info("server");
		}
		assertThat(info).isNotNull();
		assertThat(info.stringPropertyNames().stream().filter((name) -> name.endsWith("redis_version")))
			.as("a version for each node").hasSizeGreaterThanOrEqualTo(3);
		assertThat(RedisServerVersion.oldestIn(info)).hasValueSatisfying((oldest) -> assertThat(oldest.isSupported())
			.isTrue());
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new java.util.ArrayList<>(List.of("graceful-worker.worker.queues.alpha=1",
				"graceful-worker.worker.queues.beta=1", "graceful-worker.worker.queues.gamma=1",
				"graceful-worker.worker.queues.delta=1"));
		all.addAll(List.of(properties));
		return TestApplication.start(cluster.springProperties(), all.toArray(String[]::new));
	}

}
