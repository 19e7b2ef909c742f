package io.gracefulworker.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import io.gracefulworker.redis.RedisServerVersion;
import io.gracefulworker.redis.UnsupportedRedisException;
import io.gracefulworker.test.redis.RedisProcess;
import io.gracefulworker.test.redis.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application refuses to start against a Redis older than the scripts need (there every claim
 * fails, so jobs would be stored and never run), with a failure analysis naming the version and
 * the fix. The old server is Redis 2.8.19, from an early {@code embedded-redis} jar that the build
 * copies to {@code target/unsupported-redis.jar}; the supported servers are every other test's.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnsupportedRedisIntegrationTests {

	@TempDir
	Path dir;

	private Process redis;

	private int port;

	@BeforeEach
	void startUnsupportedRedis() throws Exception {
		Path binary = this.dir.resolve("redis-server-2.8.19");
		try (ZipFile jar = new ZipFile("target/unsupported-redis.jar");
				InputStream in = jar.getInputStream(jar.getEntry("redis-server-2.8.19"))) {
			Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
		}
		assertThat(binary.toFile().setExecutable(true)).isTrue();
		this.port = RedisProcess.freePort();
		this.redis = new ProcessBuilder(binary.toString(), "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
				"--save", "", "--dir", this.dir.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("redis.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
			.until(() -> "PONG".equals(RespClient.command("127.0.0.1", this.port, "PING")));
	}

	@AfterEach
	void stopUnsupportedRedis() throws Exception {
		this.redis.destroy();
		this.redis.waitFor(10, TimeUnit.SECONDS);
	}

	@Test
	void anApplicationRefusesToStartWithTheVersionAndTheFix(CapturedOutput output) throws Exception {
		assertThat(RespClient.command("127.0.0.1", this.port, "INFO", "server")).contains("redis_version:2.8.19");
		assertThatExceptionOfType(UnsupportedRedisException.class)
			.isThrownBy(() -> TestApplication.start(
					List.of("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + this.port)))
			.satisfies((refused) -> assertThat(refused.version()).isEqualTo(new RedisServerVersion(2, 8, 19)));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The Redis that spring.data.redis.* names reports version 2.8.19")
			.contains("Graceful Worker needs Redis 6.2.0 or newer")
			.contains("Upgrade that Redis to 6.2.0 or newer");
		assertThat(RespClient.command("127.0.0.1", this.port, "DBSIZE")).as("nothing written").isEqualTo("0");
	}

}
