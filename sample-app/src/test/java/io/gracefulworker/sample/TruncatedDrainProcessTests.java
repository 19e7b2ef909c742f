package io.gracefulworker.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * A pod killed while it drains, as Kubernetes kills one whose terminationGracePeriodSeconds is
 * shorter than its drain, is reported once by the rest of the fleet with the time it lacked and
 * the jobs it held; a drain that ends cleanly is not.
 */
@ExtendWith(RedisExtension.class)
class TruncatedDrainProcessTests {

	// A short lease, so that a vanished worker's entry lapses within seconds.
	private static final String LEASE = "graceful-worker.worker.lease-duration=3s";

	private final JsonMapper json = JsonMapper.builder().build();

	private RedisServer server;

	@BeforeEach
	void flush(RedisServer server) {
		this.server = server;
		server.flushAll();
	}

	@Test
	void aWorkerKilledTwoSecondsIntoItsDrainIsReportedOnceWithItsShortfallAndItsJobs() throws Exception {
		try (SampleInstance killed = start("killed", "spring.lifecycle.timeout-per-shutdown-phase=20s")) {
			assertThat(killed.post("/demo/batch?jobs=3&millis=60000").statusCode()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30)).until(() -> worker(killed).get("activeJobs").size() == 3);
			JsonNode held = worker(killed);
			List<String> jobIds = new ArrayList<>();
			held.get("activeJobs").forEach((job) -> jobIds.add(job.get("id").asString()));
			String killedId = held.get("workerId").asString();
			try (SampleInstance observer = start("observer", "spring.lifecycle.timeout-per-shutdown-phase=4s")) {
				killed.sigterm();
				// Two seconds into the drain: its window of 18 s has 16 s or less left.
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					JsonNode drain = worker(killed).path("drain");
					return drain.has("remaining") && Duration.parse(drain.get("remaining").asString()).toMillis() <= 16_000;
				});
				killed.sigkill();
				killed.awaitExit(Duration.ofSeconds(10));
				await().atMost(Duration.ofSeconds(30)).until(() -> worker(observer).get("truncatedDrains").size() == 1);
				JsonNode truncated = worker(observer).get("truncatedDrains").get(0);
				assertThat(truncated.get("workerId").asString()).isEqualTo(killedId);
				List<String> reported = new ArrayList<>();
				truncated.get("jobIds").forEach((id) -> reported.add(id.asString()));
				assertThat(reported).containsExactlyInAnyOrderElementsOf(jobIds);
				long shortfall = Duration.parse(truncated.get("shortfall").asString()).toMillis();
				// Killed about 2 s into a 20 s phase, last seen within the second before.
				assertThat(shortfall).isBetween(16_500L, 19_500L);
				assertThat(observer.log()).contains("Worker " + killedId).contains("vanished while it drained")
					.contains("Raise terminationGracePeriodSeconds");
				assertThat(worker(observer).get("fleet")).extracting((entry) -> entry.get("workerId").asString())
					.doesNotContain(killedId);

				try (SampleInstance next = start("next", "spring.lifecycle.timeout-per-shutdown-phase=4s")) {
					String observerId = worker(observer).get("workerId").asString();
					observer.sigterm();
					assertThat(observer.awaitExit(Duration.ofSeconds(30))).isLessThan(Duration.ofSeconds(30));
					await().atMost(Duration.ofSeconds(10))
						.until(() -> worker(next).get("fleet").size() == 1);
					assertThat(worker(next).get("fleet").get(0).get("workerId").asString()).isNotEqualTo(observerId);
					// The clean drain left no entry to lapse: still the one report.
					assertThat(worker(next).get("truncatedDrains")).hasSize(1);
				}
			}
		}
	}

	private JsonNode worker(SampleInstance instance) {
		return this.json.readTree(instance.get("/actuator/worker").body());
	}

	private SampleInstance start(String name, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add(LEASE);
		return SampleInstance.start(name, Path.of("target", "sample-app.jar"), this.server.host(), this.server.port(),
				all.toArray(String[]::new));
	}

}
