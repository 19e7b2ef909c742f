package io.gracefulworker.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequest;
import io.gracefulworker.Worker;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link JobClient#enqueueAll(List)}: many jobs in few round trips, each stored as a single
 * enqueue would store it.
 */
@ExtendWith(RedisExtension.class)
class BatchEnqueueIntegrationTests {

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
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void jobsOfSeveralQueuesChunksDelaysAndIdempotencyKeysAreStoredAsSingleEnqueuesWouldBe() {
		this.context = TestApplication.start(this.redis, "graceful-worker.worker.queues.default=1",
				"graceful-worker.worker.queues.slow=1", "graceful-worker.worker.queues.other=1",
				"graceful-worker.worker.concurrency=16");
		JobClient client = this.context.getBean(JobClient.class);
		Worker worker = this.context.getBean(Worker.class);
		// An idempotency key holds while its job is queued.
		worker.pause();
		JobId existing = client.enqueue(JobRequest.of("test.tick", "keyed-before").idempotencyKey("k-existing"));
		List<JobRequest> requests = new ArrayList<>();
		for (int i = 0; i < 2500; i++) {
			requests.add(JobRequest.of("test.tick", "bulk-" + i));
		}
		requests.add(JobRequest.of("test.tick", "other-queue").queue("other"));
		requests.add(JobRequest.of("test.tick", "later").delay(Duration.ofMillis(700)));
		requests.add(JobRequest.of("test.tick", "keyed-again").idempotencyKey("k-existing"));
		requests.add(JobRequest.of("test.tick", "keyed-first").idempotencyKey("k-new"));
		requests.add(JobRequest.of("test.tick", "keyed-twice").idempotencyKey("k-new"));
		List<JobId> ids = client.enqueueAll(requests);
		assertThat(ids).hasSize(requests.size());
		assertThat(ids.subList(0, 2502)).doesNotHaveDuplicates().doesNotContain(existing);
		assertThat(ids.get(2502)).isEqualTo(existing);
		assertThat(ids.get(2504)).isEqualTo(ids.get(2503));
		worker.resume();
		await().atMost(WAIT).until(() -> TestJobs.executions.size() >= 2504);
		List<String> labels = TestJobs.executions.stream().map(Execution::label).toList();
		assertThat(labels).doesNotHaveDuplicates()
			.contains("bulk-0", "bulk-2499", "other-queue", "later", "keyed-before", "keyed-first")
			.doesNotContain("keyed-again", "keyed-twice")
			.hasSize(2504);
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		assertThat(redis.opsForSet().members("gw:queues")).contains("default", "other");
	}

	@Test
	void aBadRequestAnywhereStoresNothing() {
		this.context = TestApplication.start(this.redis, "graceful-worker.worker.enabled=false");
		JobClient client = this.context.getBean(JobClient.class);
		List<JobRequest> requests = List.of(JobRequest.of("test.tick", "fine"),
				JobRequest.of("test.tick", "too", "many"));
		assertThatIllegalArgumentException().isThrownBy(() -> client.enqueueAll(requests))
			.withMessageContaining("takes 1 arguments but 2 were given");
		StringRedisTemplate redis = this.context.getBean(StringRedisTemplate.class);
		assertThat(redis.opsForHash().size(RedisJobKeys.of("gw", "default").jobs())).isZero();
	}

}
