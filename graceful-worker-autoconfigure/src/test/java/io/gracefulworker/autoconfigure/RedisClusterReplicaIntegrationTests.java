package io.gracefulworker.autoconfigure;

import java.time.Duration;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobNotConfirmedException;
import io.gracefulworker.JobNotStoredException;
import io.gracefulworker.JobRequest;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisCluster;
import io.gracefulworker.test.redis.RedisProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An enqueue on a Redis Cluster with a replica per master that asks for a replica's
 * acknowledgement: it waits on the node that holds the queue, and a planned failover of that
 * node loses no job.
 */
class RedisClusterReplicaIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static RedisCluster cluster;

	private ConfigurableApplicationContext context;

	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.startWithReplicas();
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
			this.context.close();
		}
	}

	@Test
	void anEnqueueIsConfirmedByTheReplicaOfTheNodeThatHoldsTheQueue() throws Exception {
		this.context = TestApplication.start(cluster.springProperties(), "graceful-worker.enqueue.replicas=1",
				"graceful-worker.enqueue.replica-timeout=300ms");
		JobClient client = this.context.getBean(JobClient.class);
		client.enqueue(JobRequest.of("test.tick", "confirmed"));
		RedisProcess replica = cluster.replicaFor(RedisJobKeys.of("gw", "default").jobs());
		replica.freeze();
		try {
			assertThatExceptionOfType(JobNotConfirmedException.class)
				.isThrownBy(() -> client.enqueue(JobRequest.of("test.tick", "unconfirmed")))
				.withMessageContaining("0 of 1 replicas acknowledged it within 300 ms");
		}
		finally {
			replica.thaw();
		}
		await().atMost(WAIT)
			.ignoreException(JobNotStoredException.class)
			.untilAsserted(() -> client.enqueue(JobRequest.of("test.tick", "confirmed again")));
		await().atMost(WAIT)
			.until(() -> TestJobs.executions.stream()
				.map(Execution::label)
				.toList()
				.containsAll(java.util.List.of("confirmed", "confirmed again")));
	}

	@Test
	void aPlannedFailoverOfTheQueuesNodeLosesNoAcknowledgedJob() throws Exception {
		this.context = TestApplication.start(cluster.springProperties(), "graceful-worker.enqueue.replicas=1");
		JobClient client = this.context.getBean(JobClient.class);
		EnqueueStream stream = new EnqueueStream(client);
		try {
			for (int i = 0; i < 2; i++) {
				stream.awaitMoreAcknowledged(200, WAIT);
				cluster.failover(RedisJobKeys.of("gw", "default").jobs());
			}
			stream.awaitMoreAcknowledged(200, WAIT);
		}
		finally {
			stream.close();
		}
		stream.awaitAllAcknowledgedRun(WAIT);
	}

}
