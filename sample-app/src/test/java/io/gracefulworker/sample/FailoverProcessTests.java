package io.gracefulworker.sample;

import java.util.List;
import java.util.Set;

import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.test.redis.RedisCluster;
import io.gracefulworker.test.redis.RedisSentinel;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link FailoverScenario} behind Sentinel (a master, a replica, three Sentinels) and on a
 * Cluster with a replica per master: two planned failovers during a stream lose no
 * acknowledged job.
 */
class FailoverProcessTests {

	@Test
	void twoSentinelFailoversLoseNoAcknowledgedJob() throws Exception {
		try (RedisSentinel sentinel = RedisSentinel.start()) {
			new FailoverScenario(sentinel.springProperties(),
					() -> new LettuceConnectionFactory(new RedisSentinelConfiguration(RedisSentinel.MASTER_NAME,
							Set.of(sentinel.sentinelNodes().split(",")))),
					() -> sentinel.failover((master) -> {
					}))
				.run();
		}
	}

	@Test
	void twoClusterFailoversLoseNoAcknowledgedJob() throws Exception {
		try (RedisCluster cluster = RedisCluster.startWithReplicas()) {
			new FailoverScenario(cluster.springProperties(),
					() -> new LettuceConnectionFactory(
							new RedisClusterConfiguration(List.of(cluster.nodesProperty().split(",")))),
					() -> cluster.failover(RedisJobKeys.of("gw", "demo").jobs()))
				.run();
		}
	}

}
