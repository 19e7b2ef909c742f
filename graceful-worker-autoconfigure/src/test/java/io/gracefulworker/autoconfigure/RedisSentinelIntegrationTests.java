package io.gracefulworker.autoconfigure;

import java.io.IOException;
import java.time.Duration;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobNotConfirmedException;
import io.gracefulworker.JobNotStoredException;
import io.gracefulworker.JobRequest;
import io.gracefulworker.test.redis.RedisProcess;
import io.gracefulworker.test.redis.RedisSentinel;
import io.gracefulworker.test.redis.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The worker behind Redis Sentinel (a master, a replica, three Sentinels): the client follows a
 * failover, and an enqueue that asked for a replica's acknowledgement returns only with it.
 */
class RedisSentinelIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	// Sentinel demotes the old master about ten seconds after the promotion; a client that
	// waited for that would miss this bound.
	private static final Duration FOLLOW = Duration.ofSeconds(5);

	private static RedisSentinel sentinel;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void startSentinel() {
		sentinel = RedisSentinel.start();
	}

	@AfterAll
	static void stopSentinel() {
		sentinel.close();
	}

	@BeforeEach
	void reset() {
		TestJobs.reset();
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@ParameterizedTest(name = "hand-offs: {0}")
	@ValueSource(booleans = { false, true })
	void noAcknowledgedEnqueueIsLostInTwoFailoversAndWritesResumeOnTheNewMaster(boolean handOff) throws Exception {
		this.context = TestApplication.start(sentinel.springProperties(), "graceful-worker.enqueue.replicas=1",
				// Pooled connections follow only when Sentinel demotes the old master.
				"spring.data.redis.lettuce.pool.enabled=false", "graceful-worker.worker.hand-off=" + handOff);
		JobClient client = this.context.getBean(JobClient.class);
		EnqueueStream stream = new EnqueueStream(client);
		try {
			for (int i = 0; i < 2; i++) {
				stream.awaitMoreAcknowledged(200, WAIT);
				RedisProcess candidate = sentinel.replica();
				RespClient.command(candidate.host(), candidate.port(), "CONFIG", "RESETSTAT");
				long start = System.nanoTime();
				int failover = i + 1;
				sentinel.failover((master) -> {
					// The app's commands reach the new master: scripts run there (refused while it has
					// no replica), where before only replicated effects did.
					await().atMost(FOLLOW).until(() -> evalshaCalls(master));
					System.out.printf("Failover %d: the app's scripts reach the new master %d ms after the"
							+ " failover was asked for%n", failover, Duration.ofNanos(System.nanoTime() - start).toMillis());
				});
				stream.awaitMoreAcknowledged(50, WAIT);
				System.out.printf("Failover %d: enqueues acknowledged again %d ms after it was asked for%n", failover,
						Duration.ofNanos(System.nanoTime() - start).toMillis());
			}
		}
		finally {
			stream.close();
		}
		stream.awaitAllAcknowledgedRun(WAIT);
		System.out.printf("Sentinel failovers (hand-offs %s): %d enqueues acknowledged, %d refused, %d executions,"
				+ " %.0f handed over%n", handOff, stream.acknowledged(), stream.refused(), TestJobs.executions.size(),
				TestApplication.handOffs(this.context));
		if (handOff) {
			assertThat(TestApplication.handOffs(this.context)).isGreaterThan(0);
		}
	}

	private static boolean evalshaCalls(RedisProcess node) throws IOException {
		return RespClient.command(node.host(), node.port(), "INFO", "commandstats").contains("cmdstat_evalsha:");
	}

	@Test
	void anEnqueueThatNoReplicaAcknowledgesThrows() {
		this.context = TestApplication.start(sentinel.springProperties(), "graceful-worker.enqueue.replicas=1",
				"graceful-worker.enqueue.replica-timeout=300ms", "graceful-worker.worker.enabled=false");
		JobClient client = this.context.getBean(JobClient.class);
		// After another test's failovers the replica may still be resynchronising.
		await().atMost(WAIT)
			.ignoreExceptionsInstanceOf(JobNotConfirmedException.class)
			.until(() -> client.enqueue(JobRequest.of("test.tick", "confirmed")) != null);
		RedisProcess replica = sentinel.replica();
		replica.freeze();
		try {
			assertThatExceptionOfType(JobNotConfirmedException.class)
				.isThrownBy(() -> client.enqueue(JobRequest.of("test.tick", "unconfirmed")))
				.withMessageContaining("0 of 1 replicas acknowledged it within 300 ms")
				.withMessageNotContaining("unconfirmed");
		}
		finally {
			replica.thaw();
		}
		await().atMost(WAIT)
			.ignoreException(JobNotStoredException.class)
			.untilAsserted(() -> client.enqueue(JobRequest.of("test.tick", "confirmed again")));
	}

	@Test
	void aMasterWithoutItsReplicaRefusesTheEnqueueWithAClearException() {
		this.context = TestApplication.start(sentinel.springProperties(), "graceful-worker.worker.enabled=false");
		JobClient client = this.context.getBean(JobClient.class);
		client.enqueue(JobRequest.of("test.tick", "stored first"));
		RedisProcess replica = sentinel.replica();
		replica.freeze();
		try {
			// min-replicas-max-lag is 5 s: from then on the master refuses writes.
			await().atMost(WAIT).untilAsserted(() -> assertThatExceptionOfType(JobNotStoredException.class)
				.isThrownBy(() -> client.enqueue(JobRequest.of("test.tick", "refused")))
				.withMessageContaining("fewer replicas in sync than its min-replicas-to-write"));
		}
		finally {
			replica.thaw();
		}
		await().atMost(WAIT)
			.ignoreException(JobNotStoredException.class)
			.untilAsserted(() -> client.enqueue(JobRequest.of("test.tick", "stored")));
	}

}
