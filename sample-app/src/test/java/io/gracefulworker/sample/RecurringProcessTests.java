package io.gracefulworker.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.gracefulworker.sample.demo.SampleInstance;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A schedule of one second across two sample processes for thirty seconds, one restarted with
 * SIGTERM and the other killed with SIGKILL in between: every tick fired once, none twice, none
 * missed (the sample's ledger of ticks at {@code GET /demo/recurring}).
 */
@ExtendWith(RedisExtension.class)
class RecurringProcessTests {

	private static final String[] PROPERTIES = { "graceful-worker.recurring.demo.recurring.cron=* * * * * *",
			"graceful-worker.worker.lease-duration=3s", "spring.lifecycle.timeout-per-shutdown-phase=5s" };

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final JsonMapper json = JsonMapper.builder().build();

	private RedisServer server;

	@BeforeEach
	void flush(RedisServer server) {
		this.server = server;
		server.flushAll();
	}

	@Test
	void everyTickFiresOnceAcrossTwoProcessesThroughASigtermRestartAndASigkill() {
		SampleInstance first = start("first");
		SampleInstance second = start("second");
		SampleInstance restarted = null;
		SampleInstance replacement = null;
		try {
			await().atMost(WAIT).until(() -> ledger(second).get("ticks").asInt() >= 5);
			first.sigterm();
			assertThat(first.awaitExit(WAIT)).isLessThan(WAIT);
			restarted = start("first'");
			int beforeKill = ledger(second).get("ticks").asInt();
			await().atMost(WAIT).until(() -> ledger(second).get("ticks").asInt() >= beforeKill + 5);
			second.sigkill();
			second.awaitExit(WAIT);
			replacement = start("second'");
			SampleInstance watched = restarted;
			await().atMost(WAIT).until(() -> span(ledger(watched)).compareTo(Duration.ofSeconds(30)) >= 0);
			JsonNode ledger = ledger(watched);
			System.out.println("Recurring ledger after 30 s, a SIGTERM restart and a SIGKILL: " + ledger);
			assertThat(ledger.get("duplicateTicks").asLong()).as("ticks run twice").isZero();
			assertThat(ledger.get("missedTicks").asLong()).as("ticks never run").isZero();
			assertThat(ledger.get("ticks").asLong()).isGreaterThanOrEqualTo(30);
			JsonNode schedule = this.json.readTree(watched.get("/actuator/recurring").body()).get("schedules").get(0);
			assertThat(schedule.get("job").asString()).isEqualTo("demo.recurring");
			assertThat(schedule.get("cron").asString()).isEqualTo("* * * * * *");
			assertThat(schedule.get("fires").asLong()).isGreaterThanOrEqualTo(ledger.get("ticks").asLong());
		}
		finally {
			for (SampleInstance instance : new SampleInstance[] { first, second, restarted, replacement }) {
				if (instance != null) {
					instance.close();
				}
			}
		}
	}

	private static Duration span(JsonNode ledger) {
		if (ledger.get("firstTick").isNull()) {
			return Duration.ZERO;
		}
		return Duration.between(Instant.parse(ledger.get("firstTick").asString()),
				Instant.parse(ledger.get("lastTick").asString()));
	}

	private JsonNode ledger(SampleInstance instance) {
		return this.json.readTree(instance.get("/demo/recurring").body());
	}

	private SampleInstance start(String name) {
		return SampleInstance.start(name, Path.of("target", "sample-app.jar"), this.server.host(), this.server.port(),
				PROPERTIES);
	}

}
