package io.gracefulworker.test.redis;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

@ExtendWith(RedisExtension.class)
class RedisExtensionIntegrationTests {

	@Test
	void serverRunsLuaScriptsAndIsNotOnTheDefaultPort(RedisServer redis) {
		assertThat(redis.port()).isNotEqualTo(6379);
		LettuceConnectionFactory factory = RedisConnections.create(redis);
		try {
			StringRedisTemplate template = new StringRedisTemplate(factory);
			RedisScript<Long> script = RedisScript.of(
					"redis.call('SET', KEYS[1], ARGV[1]); return redis.call('STRLEN', KEYS[1])", Long.class);
			assertThat(template.execute(script, List.of("gw:{test}:probe"), "hello")).isEqualTo(5L);
			assertThat(template.opsForValue().get("gw:{test}:probe")).isEqualTo("hello");
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void serverCanBeStoppedAndStartedAgain(RedisServer redis) throws Exception {
		redis.stop();
		assertThatIOException().isThrownBy(() -> RespClient.command(redis.host(), redis.port(), "PING"));
		redis.start();
		assertThat(RespClient.command(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
		assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+.*");
	}

}
