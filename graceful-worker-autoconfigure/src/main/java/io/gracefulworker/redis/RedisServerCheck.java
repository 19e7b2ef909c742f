package io.gracefulworker.redis;

import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Refuses to start the application against a Redis older than the library's scripts need
 * ({@link RedisServerVersion#OLDEST_SUPPORTED}), where enqueues would be acknowledged and no
 * claim would ever run them. A Redis that does not answer at startup is not waited for.
 */
public class RedisServerCheck implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RedisServerCheck.class);

	private final RedisConnectionFactory connectionFactory;

	/**
	 * Creates a check of the server the factory connects to.
	 * @param connectionFactory the application's connection factory
	 */
	public RedisServerCheck(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		check();
	}

	/**
	 * Reads the server's version and throws when it is too old.
	 * @throws UnsupportedRedisException when Redis is older than the scripts need
	 */
	public void check() {
		Properties info;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			info = connection.serverCommands().info("server");
		}
		catch (RuntimeException ex) {
			logger.info("Redis did not answer at startup (" + ex.getMessage() + "), so its version was not checked:"
					+ " Graceful Worker needs Redis " + RedisServerVersion.OLDEST_SUPPORTED + " or newer");
			return;
		}
		if (info == null) {
			return;
		}
		RedisServerVersion.oldestIn(info).filter((version) -> !version.isSupported()).ifPresent((version) -> {
			throw new UnsupportedRedisException(version);
		});
	}

}
