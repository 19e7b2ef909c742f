package io.gracefulworker.sample;

import java.nio.file.Path;
import java.time.Duration;

import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.sample.demo.SampleInstance;
import io.gracefulworker.test.redis.RedisConnections;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rollout that adds a parameter to a job: an instance of release 1 and one of release 2 run on
 * one Redis while release 2 enqueues, then release 1 stops. Release 1 gives back the jobs it
 * cannot read, release 2 runs them: none is lost, none dies.
 */
@ExtendWith(RedisExtension.class)
class VersionedRolloutProcessTests {

	private static final Path JAR = Path.of("target", "sample-app.jar");

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void jobsOfTheNewReleaseSurviveAWorkerOfTheOldOne(RedisServer redis) {
		String[] settings = { "graceful-worker.worker.concurrency=4", "spring.lifecycle.timeout-per-shutdown-phase=5s",
				"graceful-worker.worker.unknown-job.retry-delay=300ms" };
		try (SampleInstance one = SampleInstance.start("release-1", JAR, redis.host(), redis.port(), with(settings, 1));
				SampleInstance two = SampleInstance.start("release-2", JAR, redis.host(), redis.port(),
						with(settings, 2))) {
			two.delete("/demo/ledger");
			for (int i = 0; i < 4; i++) {
				assertThat(two.post("/demo/versioned?jobs=100").statusCode()).isEqualTo(202);
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> one.log().contains("has arguments this worker cannot read"));
			one.sigterm();
			one.awaitExit(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(120)).until(() -> ledger(two).get("missing").asLong() == 0);
			JsonNode ledger = ledger(two);
			assertThat(ledger.get("enqueued").asLong()).isEqualTo(400);
			assertThat(ledger.get("duplicates").asLong()).isZero();
			LettuceConnectionFactory connectionFactory = RedisConnections.create(redis);
			try {
				StringRedisTemplate template = new StringRedisTemplate(connectionFactory);
				assertThat(template.opsForZSet().size(RedisJobKeys.of("gw", "demo").dead())).isZero();
			}
			finally {
				connectionFactory.destroy();
			}
			assertThat(one.log()).contains("giving it back").doesNotContain("moved to the dead set");
		}
	}

	private JsonNode ledger(SampleInstance instance) {
		return this.json.readTree(instance.get("/demo/ledger").body());
	}

	private static String[] with(String[] settings, int release) {
		String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
		all[settings.length] = "sample.demo.version=" + release;
		return all;
	}

}
