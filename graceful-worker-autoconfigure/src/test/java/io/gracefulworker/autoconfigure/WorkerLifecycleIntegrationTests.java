package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.WorkerState;
import io.gracefulworker.actuate.WorkerEndpoint;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
import io.gracefulworker.core.DrainOutcome;
import io.gracefulworker.core.DrainSnapshot;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.redis.KeptOutcomes;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's lifecycle in Spring contexts against a real Redis: the drain on close, the
 * deadline, checkpoints, pause and resume, restart.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class WorkerLifecycleIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	/** Runs of a job the worker sees before it warns about the job's typical run time. */
	private static final int JOBS_BEFORE_WARNING = 5;

	private final RedisJobKeys slow = RedisJobKeys.of("gw", "slow");

	private final JsonMapper json = JsonMapper.builder().build();

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	private ConfigurableApplicationContext inspector;

	@BeforeEach
	void setUp(RedisServer redis) {
		this.redis = redis;
		TestJobs.reset();
		TestApplication.STATES.clear();
		this.inspector = TestApplication.start(redis, "graceful-worker.worker.enabled=false");
		redis().execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void tearDown() {
		TestJobs.release.countDown();
		if (this.context != null) {
			this.context.close();
		}
		this.inspector.close();
	}

	@Test
	void closeLetsRunningJobsFinishAndRequeuesNothing() {
		this.context = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=20s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		for (int i = 0; i < 5; i++) {
			client().enqueue("test.sleep", "job-" + i, 500L);
		}
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 5);
		this.context.close();
		assertThat(TestJobs.executions).extracting(Execution::job).hasSize(5).containsOnly("test.sleep");
		DrainSnapshot drain = worker.drain().orElseThrow();
		assertThat(drain.finished()).isEqualTo(5);
		assertThat(drain.requeued()).isZero();
		assertThat(Duration.between(drain.startedAt(), drain.stoppedAt())).isLessThan(Duration.ofSeconds(20));
		assertThat(KeptOutcomes.count(redis(), this.slow)).isEqualTo(5);
		assertThat(redis().opsForZSet().size(this.slow.leases())).isZero();
		assertThat(redis().opsForHash().size(this.slow.owners())).isZero();
		assertThat(redis().opsForList().size(this.slow.ready())).isZero();
		assertThat(TestApplication.STATES).containsSubsequence(WorkerState.RUNNING, WorkerState.DRAINING,
				WorkerState.STOPPED);
	}

	@Test
	void jobRunningPastTheDeadlineIsRequeuedWithItsAttemptUnchangedAndItsLateCompletionIsRefused() {
		this.context = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=4s",
				"graceful-worker.worker.shutdown.requeue-reserve=2s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		JobId id = client().enqueue("test.stubborn", "stuck");
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 1);
		long start = System.nanoTime();
		this.context.close();
		Duration closing = Duration.ofNanos(System.nanoTime() - start);
		assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
		DrainSnapshot drain = worker.drain().orElseThrow();
		assertThat(Duration.between(drain.startedAt(), drain.stoppedAt())).isLessThan(Duration.ofSeconds(4));
		assertThat(closing).isLessThan(Duration.ofSeconds(10));
		assertThat(drain.requeued()).isEqualTo(1);
		assertThat(redis().opsForList().range(this.slow.ready(), 0, -1)).containsExactly(id.value());
		JsonNode record = record(id);
		assertThat(record.has("attempt")).as("no attempt ended").isFalse();
		assertThat(record.get("requeueReason").asString()).isEqualTo("shutdown");
		TestJobs.release.countDown();
		await().atMost(WAIT).until(() -> TestJobs.stubbornReturned.get() == 1);
		assertThat(redis().opsForList().range(this.slow.ready(), 0, -1)).containsExactly(id.value());
		assertThat(redis().opsForHash().hasKey(this.slow.jobs(), id.value())).isTrue();
		this.context = TestApplication.start(this.redis);
		await().atMost(WAIT).until(() -> TestJobs.stubbornReturned.get() == 2);
		await().atMost(WAIT).until(() -> KeptOutcomes.isKept(redis(), this.slow, id.value()));
	}

	@Test
	void drainReportsWhatBecameOfEachJobInTheLogTheSnapshotTheEndpointAndTheMeter(CapturedOutput output) {
		this.context = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=4s",
				"graceful-worker.worker.shutdown.requeue-reserve=2s", "management.endpoints.web.exposure.include=worker");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		WorkerEndpoint endpoint = this.context.getBean(WorkerEndpoint.class);
		client().enqueue("test.stubborn", "stuck");
		client().enqueue("test.pages", "polite", 1_000_000);
		client().enqueue("test.sleep", "short", 1_000L);
		client().enqueue("test.sleep", "long", 60_000L);
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 4);
		this.context.close();
		DrainSnapshot drain = worker.drain().orElseThrow();
		assertThat(drain.finished()).isEqualTo(1);
		assertThat(drain.requeued()).isEqualTo(3);
		assertThat(drain.interrupted()).isEqualTo(2);
		assertThat(drain.jobs()).isEqualTo(Map.of("test.pages", Map.of(DrainOutcome.GAVE_BACK, 1), "test.sleep",
				Map.of(DrainOutcome.FINISHED, 1, DrainOutcome.INTERRUPTED, 1), "test.stubborn",
				Map.of(DrainOutcome.IGNORED_INTERRUPT, 1)));
		assertThat(output).contains("draining: 4 jobs running, deadline " + drain.deadline())
			.contains("1 jobs finished during the drain, 3 requeued (1 gave themselves back, 2 interrupted at the"
					+ " deadline). By job: test.pages 1 gave-back; test.sleep 1 finished, 1 interrupted;"
					+ " test.stubborn 1 ignored-interrupt");
		assertThat(endpoint.worker().getDrain().getJobs()).isEqualTo(Map.of("test.pages", Map.of("gave-back", 1),
				"test.sleep", Map.of("finished", 1, "interrupted", 1), "test.stubborn", Map.of("ignored-interrupt", 1)));
		assertThat(drainedJobs(meters, "test.sleep", "finished")).isEqualTo(1);
		assertThat(drainedJobs(meters, "test.sleep", "interrupted")).isEqualTo(1);
		assertThat(drainedJobs(meters, "test.pages", "gave-back")).isEqualTo(1);
		assertThat(drainedJobs(meters, "test.stubborn", "ignored-interrupt")).isEqualTo(1);
		assertThat(drainedJobs(meters, "test.stubborn", "finished")).isZero();
		TestJobs.release.countDown();
	}

	@Test
	void jobWhoseTypicalRunOutlastsTheDrainWindowIsWarnedAboutOnceWithTheFix(CapturedOutput output) {
		this.context = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=1500ms",
				"graceful-worker.worker.shutdown.requeue-reserve=1s");
		for (int i = 0; i < 2 * JOBS_BEFORE_WARNING; i++) {
			client().enqueue("test.sleep", "long-" + i, 700L);
			client().enqueue("test.tick", "short-" + i);
		}
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == 4 * JOBS_BEFORE_WARNING);
		String warning = "Job 'test.sleep' typically runs ";
		// Durations are counted once each outcome is written, after the job's own code returned.
		await().atMost(WAIT).until(() -> output.getOut().contains(warning));
		assertThat(output).contains(warning)
			.contains("longer than this worker's drain window of 500 ms (the shutdown phase of 1500 ms less 1000 ms"
					+ " to requeue): every drain interrupts it and it runs again. Raise"
					+ " spring.lifecycle.timeout-per-shutdown-phase to at least 2s")
			.doesNotContain("Job 'test.tick' typically runs");
		assertThat(output.getOut().split(Pattern.quote(warning), -1)).hasSize(2);
	}

	private static double drainedJobs(MeterRegistry meters, String job, String outcome) {
		return meters.get("graceful.worker.drain.jobs").tags("job", job, "outcome", outcome).counter().count();
	}

	@Test
	void jobThatSeesTheStopSavesACheckpointAndTheNextClaimResumesFromIt() {
		this.context = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=20s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		JobId id = client().enqueue("test.pages", "report", 200);
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 1);
		this.context.close();
		DrainSnapshot drain = worker.drain().orElseThrow();
		assertThat(drain.requeued()).isEqualTo(1);
		JsonNode record = record(id);
		int saved = Integer.parseInt(record.get("checkpoint").asString());
		assertThat(saved).isBetween(0, 199);
		assertThat(record.has("attempt")).as("no attempt ended").isFalse();
		this.context = TestApplication.start(this.redis);
		await().atMost(WAIT).until(() -> TestJobs.executions.stream().anyMatch((e) -> e.job().equals("test.pages.done")));
		List<Execution> starts = TestJobs.executions.stream()
			.filter((e) -> e.job().equals("test.pages.started"))
			.toList();
		assertThat(starts).hasSize(2);
		assertThat(starts.get(1).values()).containsExactly(saved);
		assertThat(starts.get(1).attempt()).isEqualTo(1);
	}

	@Test
	void jobIsToldThroughItsCallbackWhenTheDrainStarts() {
		this.context = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=20s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		client().enqueue("test.notified", "listening");
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 1);
		this.context.close();
		assertThat(TestJobs.executions).singleElement()
			.satisfies((execution) -> assertThat(execution.values()).containsExactly(true, true, true));
		assertThat(worker.drain().orElseThrow().finished()).isEqualTo(1);
	}

	@Test
	void idleWorkerStopsWithoutWaitingForRedis() {
		this.context = TestApplication.start(this.redis, "graceful-worker.worker.poll-interval=30s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		assertThat(worker.stop(Duration.ofSeconds(5))).isTrue();
		DrainSnapshot drain = worker.drain().orElseThrow();
		assertThat(Duration.between(drain.startedAt(), drain.stoppedAt())).isLessThan(Duration.ofSeconds(2));
		assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
	}

	@Test
	void pausedWorkerClaimsNothingUntilResumed() {
		this.context = TestApplication.start(this.redis, "graceful-worker.worker.poll-interval=30s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		// A claim in flight when the worker pauses still runs its job: settle the dispatcher first.
		client().enqueue("test.tick", "before-pause");
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == 1);
		assertThat(worker.pause()).isTrue();
		assertThat(worker.state()).isEqualTo(WorkerState.PAUSED);
		client().enqueue("test.tick", "while-paused");
		await().during(Duration.ofMillis(700))
			.atMost(Duration.ofSeconds(2))
			.until(() -> TestJobs.executions.size() == 1);
		assertThat(redis().opsForList().size(RedisJobKeys.of("gw", "default").ready())).isEqualTo(1);
		assertThat(worker.resume()).isTrue();
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == 2);
	}

	@Test
	void stoppedWorkerCanStartAgain() {
		this.context = TestApplication.start(this.redis);
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		assertThat(worker.stop(Duration.ofSeconds(5))).isTrue();
		client().enqueue("test.tick", "after-stop");
		assertThat(worker.isRunning()).isFalse();
		worker.start();
		assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == 1);
		assertThat(TestApplication.STATES).containsSubsequence(WorkerState.RUNNING, WorkerState.DRAINING,
				WorkerState.STOPPED, WorkerState.STARTING, WorkerState.RUNNING);
	}

	@Test
	void stopWithATimeoutSaysWhenTheWorkerIsStillDraining() {
		this.context = TestApplication.start(this.redis, "spring.lifecycle.timeout-per-shutdown-phase=30s");
		GracefulWorker worker = this.context.getBean(GracefulWorker.class);
		client().enqueue("test.stubborn", "holds-the-drain");
		await().atMost(WAIT).until(() -> worker.activeJobs().size() == 1);
		assertThat(worker.stop(Duration.ofMillis(200))).isFalse();
		assertThat(worker.state()).isEqualTo(WorkerState.DRAINING);
		assertThat(worker.drain().orElseThrow().remaining()).isPositive();
		TestJobs.release.countDown();
		await().atMost(WAIT).until(() -> worker.state() == WorkerState.STOPPED);
		assertThat(worker.drain().orElseThrow().finished()).isEqualTo(1);
	}

	private JobClient client() {
		return this.inspector.getBean(JobClient.class);
	}

	private StringRedisTemplate redis() {
		return this.inspector.getBean(StringRedisTemplate.class);
	}

	private JsonNode record(JobId id) {
		return this.json.readTree((String) redis().opsForHash().get(this.slow.jobs(), id.value()));
	}

}
