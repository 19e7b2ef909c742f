package io.gracefulworker.sample;

import java.time.Duration;
import java.util.Locale;

import io.gracefulworker.test.redis.RedisConnections;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.gracefulworker.test.redis.RespClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The {@link ChaosScenario} on a standalone Redis: one round by default (about a minute, as in
 * CI); {@code -Dchaos.duration=30m} repeats rounds for that long as a soak.
 */
@ExtendWith(RedisExtension.class)
class ChaosProcessTests {

	@Test
	void noJobIsLostUnderRestartsKillsPausesAndBadInput(RedisServer redis) throws Exception {
		Duration duration = Duration.parse("PT" + System.getProperty("chaos.duration", "0s").toUpperCase(Locale.ROOT));
		LettuceConnectionFactory connectionFactory = RedisConnections.create(redis);
		try {
			new ChaosScenario(new StringRedisTemplate(connectionFactory), redis.springProperties(),
					(pause) -> pause(redis.host(), redis.port(), pause), 15)
				.run(duration);
		}
		finally {
			connectionFactory.destroy();
		}
	}

	static void pause(String host, int port, Duration duration) {
		try {
			RespClient.command(host, port, "CLIENT", "PAUSE", String.valueOf(duration.toMillis()));
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
