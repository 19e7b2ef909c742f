package io.gracefulworker.test.redis;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Creates Spring Data Redis connection factories for a test's {@link RedisServer}.
 */
public final class RedisConnections {

	private RedisConnections() {
	}

	/**
	 * Returns a started Lettuce connection factory for the server; destroy it after use.
	 * @param redis the server
	 * @return the factory
	 */
	public static LettuceConnectionFactory create(RedisServer redis) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
