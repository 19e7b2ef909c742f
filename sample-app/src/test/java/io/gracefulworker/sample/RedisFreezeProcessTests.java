package io.gracefulworker.sample;

import java.nio.file.Path;
import java.time.Duration;

import io.gracefulworker.sample.demo.SampleInstance;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis that stops answering (the process frozen with SIGSTOP, as in a partition or a long
 * pause) for longer than a lease: the worker says so within a heartbeat, the health endpoint
 * keeps answering, the worker says when Redis is back, and no acknowledged job is lost.
 */
@ExtendWith(RedisExtension.class)
class RedisFreezeProcessTests {

	private static final Duration LEASE = Duration.ofSeconds(3);

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aFrozenRedisIsReportedWithinAHeartbeatAndNothingIsLost(RedisServer redis) throws InterruptedException {
		try (SampleInstance sample = SampleInstance.start("sample", Path.of("target", "sample-app.jar"), redis.host(),
				redis.port(), "spring.data.redis.timeout=800ms", "graceful-worker.worker.lease-duration=3s",
				"graceful-worker.worker.heartbeat-interval=1s", "graceful-worker.worker.recovery-interval=1s")) {
			sample.delete("/demo/ledger");
			assertThat(sample.post("/demo/batch?jobs=40&millis=200").statusCode()).isEqualTo(202);
			redis.freeze();
			long frozenAt = System.nanoTime();
			try {
				await().atMost(Duration.ofSeconds(10)).until(() -> sample.log().contains("cannot reach its job store"));
				Duration noticed = Duration.ofNanos(System.nanoTime() - frozenAt);
				assertThat(noticed).as("noticed within a heartbeat and a command timeout")
					.isLessThan(Duration.ofSeconds(5));
				long start = System.nanoTime();
				int status = sample.status("/actuator/health");
				Duration health = Duration.ofNanos(System.nanoTime() - start);
				System.out.println("Frozen Redis noticed after " + noticed.toMillis() + " ms; /actuator/health answered "
						+ status + " in " + health.toMillis() + " ms");
				assertThat(health).isLessThan(Duration.ofSeconds(8));
				// The fault itself: the freeze outlasts a lease.
				Thread.sleep(LEASE.plusSeconds(1).toMillis());
			}
			finally {
				redis.thaw();
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> sample.log().contains("reaches its job store again after"));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.json.readTree(sample.get("/demo/ledger").body()).get("missing").asLong() == 0);
		}
	}

}
