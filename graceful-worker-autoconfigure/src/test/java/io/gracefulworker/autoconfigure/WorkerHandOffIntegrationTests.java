package io.gracefulworker.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import io.gracefulworker.JobClient;
import io.gracefulworker.WorkerState;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that takes hand-offs ({@code graceful-worker.worker.hand-off=true}): jobs enqueued
 * while it waits reach it without a claim, each runs once, and hand-offs and claims together
 * never run more jobs at once than its concurrency.
 */
@ExtendWith(RedisExtension.class)
class WorkerHandOffIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void setUp(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		TestJobs.reset();
	}

	@AfterEach
	void close() throws Exception {
		if (this.context != null) {
			this.context.close();
		}
	}

	@ParameterizedTest(name = "lease layout: {0}")
	@ValueSource(strings = { "per-job", "per-worker" })
	void jobsEnqueuedWhileTheWorkerWaitsAreHandedOverAndEachRunsOnce(String leaseLayout) {
		start("graceful-worker.worker.concurrency=2", "graceful-worker.worker.lease-layout=" + leaseLayout);
		JobClient client = this.context.getBean(JobClient.class);
		// Each enqueued as soon as the last ran: the next enqueue often takes the registration
		// that the claim after a hand-off makes before that claim's reply is read.
		for (int i = 0; i < 300; i++) {
			int done = i;
			client.enqueue("test.tick", "job-" + i);
			await().atMost(WAIT)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.until(() -> TestJobs.executions.size() > done);
		}
		assertThat(labels()).hasSize(300);
		assertThat(TestJobs.executions).hasSize(300);
		assertThat(TestApplication.handOffs(this.context)).isGreaterThan(0);
		// Each job's lease went with its completion, whatever the layout.
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		RedisJobKeys keys = RedisJobKeys.of("gw", "default");
		assertThat(redis.opsForZSet().size(keys.leases())).isZero();
		assertThat(redis.opsForHash().size(keys.owners())).isZero();
	}

	@Test
	void handOffsAndClaimsTogetherNeverRunMoreJobsAtOnceThanTheConcurrency() throws Exception {
		start("graceful-worker.worker.concurrency=2");
		JobClient client = this.context.getBean(JobClient.class);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String waiting = RedisJobKeys.of("gw", "default").waiting();
		ExecutorService callers = Executors.newFixedThreadPool(3);
		try {
			// Bursts of three into the idle worker: one is handed over while the others are
			// claimed, often while the hand-off is on its way or its claim is in flight.
			for (int round = 0; round < 40; round++) {
				List<Future<?>> sent = new ArrayList<>();
				for (int c = 0; c < 3; c++) {
					String label = round + "-" + c;
					sent.add(callers.submit(() -> client.enqueue("test.overlap", label,
							(long) ThreadLocalRandom.current().nextInt(1, 6))));
				}
				for (Future<?> future : sent) {
					future.get();
				}
				int done = 3 * (round + 1);
				await().atMost(WAIT)
					.pollInterval(Duration.ofMillis(1))
					.until(() -> TestJobs.executions.size() >= done && redis.hasKey(waiting));
			}
		}
		finally {
			callers.shutdown();
		}
		assertThat(labels()).hasSize(120);
		assertThat(TestJobs.executions).hasSize(120);
		assertThat(TestJobs.mostOverlapping.get()).isBetween(1, 2);
		// Both paths ran many jobs: most bursts start with a hand-off (about 50 of 120 here), and
		// the rest of a burst is claimed.
		assertThat(TestApplication.handOffs(this.context)).isBetween(20.0, 110.0);
	}

	@Test
	void aJobHandedOverWhileTheWorkerDrainsIsGivenBackWithItsAttemptUnchanged() throws Exception {
		start("spring.lifecycle.timeout-per-shutdown-phase=10s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		this.context.getBean(JobClient.class).enqueue("test.stubborn", "holds-the-drain");
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 1);
		Thread closing = new Thread(this.context::close);
		closing.start();
		try {
			await().atMost(WAIT).until(() -> worker.state() == WorkerState.DRAINING);
			// A hand-off in flight when the drain began, leased and sent as enqueue_batch.lua does.
			RedisJobKeys keys = RedisJobKeys.of("gw", "default");
			String record = "{\"name\":\"test.tick\",\"args\":\"[\\\"handed\\\"]\",\"maxAttempts\":5}";
			String token = worker.id() + ":99:0";
			redis.opsForHash().put(keys.jobs(), "handed", record);
			redis.opsForHash().put(keys.owners(), "handed", token);
			redis.opsForZSet().add(keys.leases(), "handed", System.currentTimeMillis() + 30_000);
			String message = "7:default6:handed" + token.length() + ":" + token + record;
			assertThat(redis.execute((RedisCallback<Long>) (connection) -> connection.publish(
					("gw:wake:" + worker.id()).getBytes(StandardCharsets.UTF_8), message.getBytes(StandardCharsets.UTF_8))))
				.isPositive();
			await().atMost(WAIT).until(() -> redis.opsForList().range(keys.ready(), 0, -1).contains("handed"));
			assertThat(labels()).doesNotContain("handed");
			String stored = (String) redis.opsForHash().get(keys.jobs(), "handed");
			assertThat(stored).contains("\"requeueReason\":\"shutdown\"").doesNotContain("\"attempt\"");
			assertThat(redis.opsForHash().hasKey(keys.owners(), "handed")).isFalse();
		}
		finally {
			TestJobs.release.countDown();
			closing.join(WAIT.toMillis());
			this.context = null;
		}
	}

	@Test
	void aPausedWorkerWithdrawsItsRegistrationAndTakesNoHandOffUntilResumed() {
		GracefulWorker worker = startAndPause();
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		RedisJobKeys keys = RedisJobKeys.of("gw", "default");
		this.context.getBean(JobClient.class).enqueue("test.tick", "while-paused");
		assertThat(redis.opsForList().range(keys.ready(), 0, -1)).hasSize(1);
		assertThat(TestJobs.executions).isEmpty();
		assertThat(worker.resume()).isTrue();
		await().atMost(WAIT).until(() -> labels().contains("while-paused"));
	}

	@Test
	void aJobHandedOverAsTheWorkerPausedIsGivenBackWithItsAttemptUnchanged() throws Exception {
		GracefulWorker worker = startAndPause();
		// An enqueue that took the registration just before its withdrawal.
		handOver(worker, "handed", "paused");
		assertThat(TestJobs.executions).isEmpty();
		assertThat(TestApplication.handOffs(this.context)).isEqualTo(1);
		assertThat(worker.resume()).isTrue();
		await().atMost(WAIT).until(() -> labels().contains("handed"));
		assertThat(TestJobs.executions).extracting(TestJobs.Execution::attempt).containsExactly(1);
	}

	@Test
	void aJobHandedOverAfterAnotherQueueFilledTheSlotItsRegistrationCountedOnIsGivenBack() {
		start("graceful-worker.worker.concurrency=1");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		try {
			// On the slow queue.
			this.context.getBean(JobClient.class).enqueue("test.stubborn", "fills-the-slot");
			await().atMost(WAIT).until(() -> worker.activeJobs().size() == 1);
			// The registration a claim of the default queue made while the slot was free.
			handOver(worker, "handed", "busy");
			assertThat(labels()).doesNotContain("handed");
			assertThat(worker.activeJobs()).hasSize(1);
		}
		finally {
			TestJobs.release.countDown();
		}
		await().atMost(WAIT).until(() -> labels().contains("handed"));
		assertThat(TestJobs.executions).filteredOn((execution) -> execution.label().equals("handed"))
			.extracting(TestJobs.Execution::attempt)
			.containsExactly(1);
	}

	private GracefulWorker startAndPause() {
		start("graceful-worker.worker.poll-interval=30s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		assertThat(worker.pause()).isTrue();
		// Withdrawn at once, not after the registration's three poll intervals.
		await().atMost(WAIT).until(() -> !redis.hasKey(RedisJobKeys.of("gw", "default").waiting()));
		return worker;
	}

	/**
	 * Registers the worker on the default queue as a claim would, enqueues a job there, and waits
	 * until the worker gave it back to the queue for the reason given.
	 */
	private void handOver(GracefulWorker worker, String label, String reason) {
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		RedisJobKeys keys = RedisJobKeys.of("gw", "default");
		redis.opsForValue().set(keys.waiting(), worker.id() + "|99|30000");
		this.context.getBean(JobClient.class).enqueue("test.tick", label);
		await().atMost(WAIT).until(() -> redis.opsForList().size(keys.ready()) == 1);
		String id = redis.opsForList().index(keys.ready(), 0);
		assertThat((String) redis.opsForHash().get(keys.jobs(), id)).contains(reason);
		assertThat(redis.opsForHash().hasKey(keys.owners(), id)).isFalse();
	}

	/**
	 * Starts the application and waits until its worker has registered for hand-offs, so that the
	 * first job a test enqueues is handed over rather than racing the worker's first claim.
	 */
	private void start(String... properties) {
		String[] all = new String[properties.length + 1];
		all[0] = "graceful-worker.worker.hand-off=true";
		System.arraycopy(properties, 0, all, 1, properties.length);
		this.context = TestApplication.start(this.redis, all);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		String waiting = RedisJobKeys.of("gw", "default").waiting();
		await().atMost(WAIT).until(() -> redis.hasKey(waiting));
	}

	private static Set<String> labels() {
		return TestJobs.executions.stream().map(TestJobs.Execution::label).collect(Collectors.toSet());
	}

}
