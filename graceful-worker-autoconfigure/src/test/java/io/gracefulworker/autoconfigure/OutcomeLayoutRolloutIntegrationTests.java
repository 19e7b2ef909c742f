package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;
import io.gracefulworker.redis.EarlierBuildEntries;
import io.gracefulworker.redis.KeptOutcomes;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code graceful-worker.retention.outcome-layout=auto} through a rollout: a worker keeps its
 * queues' outcomes in lists while the fleet reads them, and once a worker of the release before
 * joins it keeps them in sorted sets and its recovery passes move what the lists held there, where
 * that worker reads them.
 */
@ExtendWith(RedisExtension.class)
class OutcomeLayoutRolloutIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String PREVIOUS = "worker-of-the-release-before";

	private final RedisJobKeys keys = RedisJobKeys.of("gw", "default");

	private ConfigurableApplicationContext context;

	private StringRedisTemplate redis;

	@BeforeEach
	void start(RedisServer server) {
		server.flushAll();
		TestJobs.reset();
		this.context = TestApplication.start(server, "graceful-worker.worker.recovery-interval=1s");
		this.redis = this.context.getBean(StringRedisTemplate.class);
	}

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void outcomesGoToTheSortedSetAndMoveThereWhileAWorkerOfTheReleaseBeforeIsLive() {
		await().atMost(WAIT).until(this::nextOutcomeInList);
		List<String> listed = this.redis.opsForList().range(this.keys.outcomes(), 0, -1);
		assertThat(listed).isNotEmpty();
		EarlierBuildEntries.publishAsTheReleaseBefore(this.redis, PREVIOUS, Duration.ofMinutes(5));
		await().atMost(WAIT).until(() -> !nextOutcomeInList());
		await().atMost(WAIT).until(() -> !this.redis.hasKey(this.keys.outcomes()));
		JobOperations operations = this.context.getBean(JobOperations.class);
		for (String id : listed) {
			// What a worker of the release before reads.
			assertThat(this.redis.opsForZSet().score(this.keys.finished(), id)).as(id).isNotNull();
			assertThat(operations.status(new JobId(id))).get().extracting(JobStatus::state).isEqualTo(JobState.SUCCEEDED);
		}
		EarlierBuildEntries.leave(this.redis, PREVIOUS);
		await().atMost(WAIT).until(this::nextOutcomeInList);
	}

	/**
	 * Runs one job and says whether its outcome was kept in the list rather than the sorted set.
	 */
	private boolean nextOutcomeInList() {
		JobId id = this.context.getBean(JobClient.class).enqueue("test.tick", "probe");
		await().atMost(WAIT).until(() -> KeptOutcomes.isKept(this.redis, this.keys, id.value()));
		return this.redis.opsForList().indexOf(this.keys.outcomes(), id.value()) != null;
	}

}
