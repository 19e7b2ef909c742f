package io.gracefulworker.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.gracefulworker.test.AutoConfigureTestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample end to end in one test JVM, as a user writes it with {@code graceful-worker-test}:
 * its own Redis (a container with Docker, else a {@code redis-server} process) and the real
 * worker.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureTestRedis
class SampleJobsRedisTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private Ledger ledger;

	@Test
	void aBatchIsStoredInRedisAndRunByTheWorkerEachJobOnce() {
		assertThat(this.mvc.post().uri("/demo/batch?jobs=20&millis=10")).hasStatus(202);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.mvc.get().uri("/demo/ledger")).bodyJson()
				.extractingPath("$.completed")
				.isEqualTo(20));
		assertThat(this.mvc.get().uri("/demo/ledger")).bodyJson().extractingPath("$.duplicates").isEqualTo(0);
	}

	@Test
	void theLedgerReadsItsCountsAtOneInstantWhileJobsComplete() {
		this.ledger.reset();
		List<String> jobs = IntStream.range(0, 2000).mapToObj((i) -> "job-" + i).toList();
		this.ledger.enqueued(jobs);
		CompletableFuture<Void> executions = CompletableFuture.runAsync(() -> jobs.forEach(this.ledger::executed));
		while (!executions.isDone()) {
			Map<String, Long> read = this.ledger.read();
			assertThat(read.get("duplicates")).as("executions beyond completions in %s", read).isZero();
			assertThat(read.get("missing") + read.get("completed")).as("missing and completed in %s", read)
				.isEqualTo(2000);
		}
		executions.join();
		assertThat(this.ledger.read()).containsEntry("completed", 2000L).containsEntry("missing", 0L);
		this.ledger.reset();
	}

}
