package io.gracefulworker.test.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.core.ExecutableProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The kinds of Redis the system property {@code gw.test.redis} forces, and the binary
 * {@code gw.test.redis-server} names.
 */
class RedisServersTests {

	@AfterEach
	void clear() {
		System.clearProperty("gw.test.redis");
		System.clearProperty("gw.test.redis-server");
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

	@Test
	void aNamedBinaryIsTheOneStartedWhateverIsOnThePath() throws Exception {
		Path binary = ExecutableProvider.newJarResourceProvider().get().toPath();
		System.setProperty("gw.test.redis-server", binary.toString());
		RedisServer redis = RedisServers.start(List.of());
		try {
			assertThat(redis.description()).startsWith("redis-server from gw.test.redis-server (" + binary + ")");
			assertThat(redis.version()).startsWith("6.2.");
			assertThat(RespClient.command(redis.host(), redis.port(), "PING")).isEqualTo("PONG");
		}
		finally {
			redis.close();
		}
	}

	@Test
	void aNamedFileThatIsNotAnExecutableIsRefused(@TempDir Path dir) throws Exception {
		Path notABinary = Files.writeString(dir.resolve("redis-server"), "not a binary");
		System.setProperty("gw.test.redis-server", notABinary.toString());
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServers.start(List.of()))
			.withMessageContaining("gw.test.redis-server=" + notABinary)
			.withMessageContaining("not an executable file");
		System.setProperty("gw.test.redis-server", dir.resolve("missing").toString());
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServers.start(List.of()))
			.withMessageContaining("not an executable file");
	}

	@Test
	void aNamedBinaryWithAKindThatRunsNoneOfItsOwnIsRefused() throws Exception {
		System.setProperty("gw.test.redis-server", ExecutableProvider.newJarResourceProvider().get().toString());
		System.setProperty("gw.test.redis", "embedded");
		assertThatIllegalArgumentException().isThrownBy(() -> RedisServers.start(List.of()))
			.withMessageContaining("gw.test.redis=embedded")
			.withMessageContaining("set gw.test.redis=process or leave it unset");
	}

}
