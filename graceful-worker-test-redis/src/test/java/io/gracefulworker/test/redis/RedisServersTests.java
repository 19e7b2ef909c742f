package io.gracefulworker.test.redis;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The kinds of Redis the system property {@code gw.test.redis} forces.
 */
class RedisServersTests {

	@AfterEach
	void clear() {
		System.clearProperty("gw.test.redis");
	}

	@Test
	void embeddedStartsTheBinaryEmbeddedRedisShipsWhateverIsOnThePath() throws Exception {
		System.setProperty("gw.test.redis", "embedded");
		RedisServer redis = RedisServers.start(List.of());
		try {
			assertThat(redis.description()).startsWith("redis-server from embedded-redis");
			assertThat(redis.version()).startsWith("6.2.");
			assertThat(RespClient.command(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
		}
		finally {
			redis.close();
		}
	}

	@Test
	void aValueThatNamesNoKindIsRefusedWithTheKindsThereAre() {
		System.setProperty("gw.test.redis", "embeded");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServers.start(List.of()))
			.withMessageContaining("gw.test.redis=embeded")
			.withMessageContaining("process, container or embedded");
	}

}
