package io.gracefulworker.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.sample.demo.SampleInstance;
import io.gracefulworker.test.redis.RedisConnections;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample app as a real process: SIGTERM while jobs run drains them, SIGKILL loses
 * nothing.
 */
@ExtendWith(RedisExtension.class)
class GracefulShutdownProcessTests {

	private static final Pattern SUMMARY = Pattern
		.compile("stopped in (\\d+) ms: (\\d+) jobs finished during the drain, (\\d+) requeued");

	private static final RedisJobKeys DEMO = RedisJobKeys.of("gw", "demo");

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redis;

	private final JsonMapper json = JsonMapper.builder().build();

	private RedisServer server;

	@BeforeAll
	static void connect(RedisServer server) {
		connectionFactory = RedisConnections.create(server);
		redis = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@BeforeEach
	void flush(RedisServer server) {
		this.server = server;
		redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@Test
	void sigtermWhileShortJobsRunLetsThemFinishAndTheProcessExitsByItself() {
		try (SampleInstance app = start(
				"spring.lifecycle.timeout-per-shutdown-phase=20s")) {
			assertThat(app.post("/demo/batch?jobs=200&millis=300").statusCode()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> this.json.readTree(app.get("/actuator/worker").body()).get("activeJobs").size() == 8);
			app.sigterm();
			Duration exit = app.awaitExit(Duration.ofSeconds(40));
			long[] summary = summary(app.log());
			report("SIGTERM with 300 ms jobs running", exit, summary);
			String log = app.log();
			assertThat(log).as("drain summary").doesNotContain("at the deadline");
			assertThat(summary[1]).as("finished during the drain; log:\n" + log).isPositive();
			// A claim in flight when the drain begins is given back untouched.
			assertThat(summary[2]).as("requeued").isLessThanOrEqualTo(8);
			for (String id : redis.opsForList().range(DEMO.ready(), 0, summary[2] - 1)) {
				String raw = (String) redis.opsForHash().get(DEMO.jobs(), id);
				// A requeue writes the record back as JSON; a compact one was never touched.
				if (raw.startsWith("\u001F")) {
					continue;
				}
				JsonNode record = this.json.readTree(raw);
				if (record.has("requeueReason")) {
					assertThat(record.path("attempt").asInt()).as("attempts ended").isZero();
					assertThat(record.get("requeueReason").asString()).isEqualTo("shutdown");
				}
			}
			assertThat(leased()).isZero();
			assertThat(completed() + redis.opsForList().size(DEMO.ready())).isEqualTo(200);
		}
		try (SampleInstance next = start()) {
			await().atMost(Duration.ofSeconds(60)).until(() -> completed() == 200);
			assertThat(ledger(next).get("duplicates").asLong()).isZero();
			assertThat(ledger(next).get("missing").asLong()).isZero();
		}
	}

	@Test
	void sigtermWhileLongJobsRunRequeuesThemBeforeThePhaseTimeoutAndAnotherProcessCompletesThem() {
		try (SampleInstance app = start(
				"spring.lifecycle.timeout-per-shutdown-phase=3s")) {
			assertThat(app.post("/demo/batch?jobs=4&millis=6000").statusCode()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30)).until(() -> leased() == 4);
			app.sigterm();
			List<JsonNode> seen = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
				try {
					java.net.http.HttpResponse<String> response = app.get("/actuator/worker");
					if (response.statusCode() == 200) {
						seen.add(this.json.readTree(response.body()));
					}
				}
				catch (RuntimeException ex) {
					// the server stops answering once the worker has drained
				}
				return !app.isAlive();
			});
			Duration exit = app.awaitExit(Duration.ofSeconds(30));
			long[] summary = summary(app.log());
			report("SIGTERM with 6 s jobs and a 3 s phase timeout", exit, summary);
			List<Duration> remaining = seen.stream()
				.filter((worker) -> worker.get("state").asString().equals("DRAINING"))
				.map((worker) -> Duration.parse(worker.get("drain").get("remaining").asString()))
				.toList();
			System.out.println("While draining, /actuator/worker answered " + remaining.size()
					+ " times; remaining went " + remaining);
			System.out.println("A draining /actuator/worker: " + seen.stream()
				.filter((worker) -> worker.get("state").asString().equals("DRAINING"))
				.findFirst()
				.map(JsonNode::toPrettyString)
				.orElse("none"));
			assertThat(remaining).hasSizeGreaterThan(3);
			assertThat(remaining.get(remaining.size() - 1)).isLessThan(remaining.get(0));
			assertThat(seen.get(seen.size() - 1).get("drain").get("requeued").asInt()).isBetween(0, 4);
			assertThat(summary[0]).as("drain time").isLessThan(3000);
			assertThat(summary[2]).as("requeued").isEqualTo(4);
			assertThat(exit).isLessThan(Duration.ofSeconds(3).plus(Duration.ofSeconds(7)));
			assertThat(leased()).isZero();
			List<String> ready = redis.opsForList().range(DEMO.ready(), 0, -1);
			assertThat(ready).hasSize(4);
			for (String id : ready) {
				JsonNode record = this.json.readTree((String) redis.opsForHash().get(DEMO.jobs(), id));
				assertThat(record.path("attempt").asInt()).as("attempts ended").isZero();
				assertThat(record.get("requeueReason").asString()).isEqualTo("shutdown");
			}
			assertThat(completed()).isZero();
		}
		try (SampleInstance next = start()) {
			await().atMost(Duration.ofSeconds(60)).until(() -> completed() == 4);
			assertThat(ledger(next).get("duplicates").asLong()).isZero();
		}
	}

	@Test
	void sigkillMidJobLosesNothingBecauseAnotherProcessRecoversTheExpiredLeases() {
		String[] shortLeases = { "graceful-worker.worker.lease-duration=3s",
				"graceful-worker.worker.recovery-interval=500ms" };
		try (SampleInstance app = start( shortLeases)) {
			assertThat(app.post("/demo/batch?jobs=4&millis=3000").statusCode()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30)).until(() -> leased() == 4);
			app.sigkill();
			app.awaitExit(Duration.ofSeconds(10));
			assertThat(leased()).isEqualTo(4);
		}
		long start = System.nanoTime();
		try (SampleInstance next = start( shortLeases)) {
			await().atMost(Duration.ofSeconds(60)).until(() -> completed() == 4);
			System.out.println("SIGKILL: a second process completed the 4 jobs "
					+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms after it was started");
			JsonNode ledger = ledger(next);
			assertThat(ledger.get("missing").asLong()).isZero();
			assertThat(ledger.get("duplicates").asLong()).isZero();
			assertThat(next.log()).contains("recovered 4 jobs with expired leases in queue 'demo'");
		}
	}

	private SampleInstance start(String... properties) {
		return SampleInstance.start("sample", Path.of("target", "sample-app.jar"), this.server.host(),
				this.server.port(), properties);
	}

	private static long completed() {
		return redis.opsForHash().size("sample:{ledger}:completed");
	}

	private JsonNode ledger(SampleInstance app) {
		return this.json.readTree(app.get("/demo/ledger").body());
	}

	private static long[] summary(String log) {
		Matcher matcher = SUMMARY.matcher(log);
		assertThat(matcher.find()).as("drain summary in the log:\n" + log).isTrue();
		return new long[] { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
				Long.parseLong(matcher.group(3)) };
	}

	private static void report(String scenario, Duration exit, long[] summary) {
		System.out.println(scenario + ": exit " + exit.toMillis() + " ms after SIGTERM, drain " + summary[0]
				+ " ms, " + summary[1] + " finished during the drain, " + summary[2] + " requeued");
	}


	/**
	 * Returns how many jobs of the demo queue are leased, whichever way their leases are kept:
	 * its owners hash without the entry that keeps it in a hashed encoding.
	 */
	private long leased() {
		Long size = redis.opsForHash().size(DEMO.owners());
		boolean pinned = redis.opsForHash().hasKey(DEMO.owners(), RedisJobKeys.ENCODING_PIN);
		return ((size != null) ? size : 0) - (pinned ? 1 : 0);
	}

}
