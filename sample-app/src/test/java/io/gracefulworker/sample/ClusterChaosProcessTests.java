package io.gracefulworker.sample;

import java.time.Duration;

import io.gracefulworker.test.redis.RedisCluster;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A shorter {@link ChaosScenario} on a Redis Cluster of three masters.
 */
class ClusterChaosProcessTests {

	@Test
	void noJobIsLostOnARedisCluster() throws Exception {
		try (RedisCluster cluster = RedisCluster.start()) {
			LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
					new RedisClusterConfiguration(java.util.List.of(cluster.nodesProperty().split(","))));
			connectionFactory.afterPropertiesSet();
			connectionFactory.start();
			try {
				new ChaosScenario(new StringRedisTemplate(connectionFactory), cluster.springProperties(),
						(pause) -> cluster.nodes()
							.forEach((node) -> ChaosProcessTests.pause(node.host(), node.port(), pause)),
						6)
					.run(Duration.ZERO);
			}
			finally {
				connectionFactory.destroy();
			}
		}
	}


}
