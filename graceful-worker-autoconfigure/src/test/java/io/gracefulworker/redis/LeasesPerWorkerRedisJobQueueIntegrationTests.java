package io.gracefulworker.redis;

import java.time.Duration;
import java.util.List;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.NewJob;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every state change of {@link RedisJobQueueIntegrationTests} with the queue's claims keeping
 * their leases per worker.
 */
class LeasesPerWorkerRedisJobQueueIntegrationTests extends RedisJobQueueIntegrationTests {

	@Override
	RedisLeaseLayout leaseLayout() {
		return RedisLeaseLayout.PER_WORKER;
	}

	@Override
	void assertLeaseNotRenewedForAStaleToken(String id, double before) {
		// The job's lease is its worker's, which the heartbeat renewed for the job it still owns.
		assertThat(leaseOf(id)).isGreaterThan(before + 60_000);
	}

	@Test
	void aClaimLeasesItsBatchToItsWorkerWithoutALeaseAJobAndAHeartbeatRenewsIt() {
		this.queue.enqueue(new NewJob("a", "test.job", "q", "[1]", 3, null, null, null, null));
		this.queue.enqueue(new NewJob("b", "test.job", "q", "[1]", 3, null, null, null, null));
		List<ClaimedJob> claimed = this.queue.claim("q", 2, Duration.ofSeconds(30), "host:9-1:7").jobs();
		assertThat(claimed).hasSize(2);
		assertThat(this.redis.opsForZSet().size(this.keys.leases())).isZero();
		assertThat(this.redis.opsForHash().keys(this.keys.holders())).containsExactly("host:9-1");
		double first = leaseOf("a");
		assertThat(leaseOf("b")).isEqualTo(first);
		assertThat(this.queue.heartbeat("q", claimed, Duration.ofMinutes(10))).isEmpty();
		assertThat(leaseOf("b")).isGreaterThan(first + 60_000);
	}

	@Test
	void aHeartbeatGoesThroughWhenRedisIsAtMaxmemory() {
		this.queue.enqueue(new NewJob("a", "test.job", "q", "[1]", 3, null, null, null, null));
		List<ClaimedJob> claimed = this.queue.claim("q", 1, Duration.ofSeconds(30), "full:1").jobs();
		double before = leaseOf("a");
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().setConfig("maxmemory", "1");
			return null;
		});
		try {
			assertThat(this.queue.heartbeat("q", claimed, Duration.ofMinutes(10))).isEmpty();
			// With no job of its own to renew first, the worker's lease is still its first write.
			assertThat(this.queue.heartbeat("q", List.of(claimed.get(0).withToken("full:0:1")), Duration.ofMinutes(10)))
				.containsExactly("a");
		}
		finally {
			this.redis.execute((RedisCallback<Void>) (connection) -> {
				connection.serverCommands().setConfig("maxmemory", "0");
				return null;
			});
		}
		assertThat(leaseOf("a")).isGreaterThan(before + 60_000);
	}

	@Test
	void aHeartbeatAfterARecoveryPassTookTheWorkersJobsBackDoesNotLeaseThemAgain() {
		this.queue.enqueue(new NewJob("a", "test.job", "q", "[1]", 3, null, null, null, null));
		ClaimedJob claimed = this.queue.claim("q", 1, Duration.ofMillis(1), "dying:1").jobs().get(0);
		await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.queue.recover("q", 3).recovered() == 1);
		assertThat(this.redis.opsForHash().keys(this.keys.holders())).isEmpty();
		assertThat(this.queue.heartbeat("q", List.of(claimed), Duration.ofMinutes(10))).containsExactly("a");
		assertThat(this.redis.opsForHash().keys(this.keys.holders())).isEmpty();
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("a");
	}

}
