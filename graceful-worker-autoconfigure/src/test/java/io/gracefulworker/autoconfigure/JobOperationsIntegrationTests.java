package io.gracefulworker.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.gracefulworker.CancelResult;
import io.gracefulworker.DeadJobPage;
import io.gracefulworker.DeadJobQuery;
import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Jobs found and acted on through {@link JobOperations} while a worker runs them: cancels of
 * running jobs, the dead set, and retention kept by the workers' recovery pass.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class JobOperationsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final RedisJobKeys defaultKeys = RedisJobKeys.of("gw", "default");

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void setUp(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		TestJobs.reset();
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void aRunningJobIsToldOfItsCancelAndEndsCancelled() {
		this.context = TestApplication.start(this.redis);
		JobId id = client().enqueue("test.cancellable", "cancel-me");
		await().atMost(WAIT).until(() -> state(id) == JobState.RUNNING);
		assertThat(operations().cancel(id)).isEqualTo(CancelResult.CANCELLING);
		await().atMost(WAIT).until(() -> state(id) == JobState.CANCELLED);
		assertThat(TestJobs.executions).extracting(Execution::values).containsExactly(List.of(true));
		assertThat(this.context.getBean(GracefulWorker.class).totals().cancelled()).isEqualTo(1);
		assertThat(operations().cancel(id)).isEqualTo(CancelResult.FINISHED);
	}

	@Test
	void aCancelCanInterruptARunningJob() {
		this.context = TestApplication.start(this.redis);
		JobId id = client().enqueue("test.sleep", "asleep", 60_000L);
		await().atMost(WAIT).until(() -> state(id) == JobState.RUNNING);
		assertThat(operations().cancel(id, true)).isEqualTo(CancelResult.CANCELLING);
		await().atMost(WAIT).until(() -> state(id) == JobState.CANCELLED);
		assertThat(TestJobs.executions).isEmpty();
		assertThat(this.context.getBean(GracefulWorker.class).totals().failed()).isZero();
	}

	@Test
	void aDeadJobIsListedRetriedAndDeleted() {
		this.context = TestApplication.start(this.redis);
		JobId first = client().enqueue("test.doomed", "secret-value");
		await().atMost(WAIT).until(() -> state(first) == JobState.DEAD);
		JobId second = client().enqueue("test.fails", "fails");
		await().atMost(WAIT).until(() -> state(second) == JobState.DEAD);
		DeadJobPage page = operations().deadJobs(DeadJobQuery.all());
		assertThat(page.jobs()).extracting(JobStatus::id).containsExactly(second, first);
		assertThat(page.hasMore()).isFalse();
		JobStatus doomed = page.jobs().get(1);
		assertThat(doomed.lastError().message()).isEqualTo("doomed");
		assertThat(doomed.attempt()).isEqualTo(1);
		assertThat(doomed.toString()).doesNotContain("secret-value");
		assertThat(operations().arguments(first)).contains("[\"secret-value\"]");
		assertThat(operations().deadJobs(DeadJobQuery.all().name("test.fails")).jobs()).extracting(JobStatus::id)
			.containsExactly(second);
		int executions = TestJobs.executions.size();
		operations().retryDead(second);
		await().atMost(WAIT).until(() -> TestJobs.executions.size() == executions + 3 && state(second) == JobState.DEAD);
		assertThat(operations().status(second).orElseThrow().retries()).isEqualTo(1);
		operations().deleteDead(first);
		assertThat(operations().status(first)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> operations().retryDead(first))
			.withMessageContaining("No job has the id " + first);
		JobId alive = client().enqueue("test.cancellable", "alive");
		await().atMost(WAIT).until(() -> state(alive) == JobState.RUNNING);
		assertThatIllegalArgumentException().isThrownBy(() -> operations().deleteDead(alive))
			.withMessage("Job " + alive + " is running, not dead: only a dead job can be deleted");
		assertThat(operations().deleteDead(DeadJobQuery.all())).isEqualTo(1);
		operations().cancel(alive);
	}

	@Test
	void allMatchingDeadJobsAreRetriedAtOnce() {
		this.context = TestApplication.start(this.redis, "graceful-worker.worker.concurrency=1");
		for (int i = 0; i < 5; i++) {
			client().enqueue("test.doomed", "x");
		}
		await().atMost(WAIT).until(() -> deadCount() == 5);
		this.context.getBean(GracefulWorker.class).pause();
		assertThat(operations().retryDead(DeadJobQuery.all().name("test.doomed"))).isEqualTo(5);
		assertThat(deadCount()).isZero();
		assertThat(operations().retryDead(DeadJobQuery.all().name("another.job"))).isZero();
		this.context.getBean(GracefulWorker.class).resume();
		await().atMost(WAIT).until(() -> deadCount() == 5);
	}

	@Test
	void theDeadSetAndRedisMemoryStayBoundedWhenJobsFailBeyondTheCap(CapturedOutput output) {
		this.context = TestApplication.start(this.redis, "graceful-worker.retention.dead-max=10",
				"graceful-worker.worker.recovery-interval=200ms");
		String payload = "p".repeat(2000);
		fail(60, payload);
		long settled = datasetMemory();
		fail(300, payload);
		await().atMost(WAIT).until(() -> deadCount() == 10);
		// 300 more dead jobs of 2 KB each would hold about 600 KB.
		assertThat(datasetMemory() - settled).isLessThan(200 * 1024);
		assertThat(output).contains("dead jobs of queue 'default' past their retention");
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		assertThat(meters.get("graceful.worker.trimmed").tags("queue", "default", "state", "dead").counter().count())
			.isEqualTo(350);
	}

	@Test
	void succeededOutcomesAreKeptForTheirRetentionThenRemoved() {
		this.context = TestApplication.start(this.redis, "graceful-worker.retention.succeeded=1s",
				"graceful-worker.worker.recovery-interval=200ms");
		JobId id = client().enqueue("test.tick", "kept");
		await().atMost(WAIT).until(() -> state(id) == JobState.SUCCEEDED);
		await().atMost(WAIT).until(() -> operations().status(id).isEmpty());
		assertThat(redis().opsForHash().size(this.defaultKeys.jobs())).isZero();
	}

	private void fail(int count, String payload) {
		long before = deadCount() + trimmed();
		for (int i = 0; i < count; i++) {
			client().enqueue("test.doomed", payload);
		}
		await().atMost(WAIT).until(() -> deadCount() + trimmed() == before + count && deadCount() <= 10);
	}

	private long trimmed() {
		MeterRegistry meters = this.context.getBean(MeterRegistry.class);
		return (long) meters.get("graceful.worker.trimmed").tags("queue", "default", "state", "dead").counter().count();
	}

	private long deadCount() {
		Long size = redis().opsForZSet().size(this.defaultKeys.dead());
		return (size != null) ? size : 0;
	}

	// The keys' memory: from Redis 8 used_memory also holds the Lua heap, whose garbage from the
	// scripts that carried the payloads moves it by a few hundred KB until Lua collects it.
	private long datasetMemory() {
		Properties memory = redis().execute((RedisCallback<Properties>) (connection) -> connection.serverCommands()
			.info("memory"));
		return Long.parseLong(memory.getProperty("used_memory_dataset"));
	}

	private JobState state(JobId id) {
		return operations().status(id).map(JobStatus::state).orElse(null);
	}

	private JobClient client() {
		return this.context.getBean(JobClient.class);
	}

	private JobOperations operations() {
		return this.context.getBean(JobOperations.class);
	}

	private StringRedisTemplate redis() {
		return this.context.getBean(StringRedisTemplate.class);
	}

}
