package io.gracefulworker.sample;

import java.time.Duration;

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

	@Test
	void aBatchIsStoredInRedisAndRunByTheWorkerEachJobOnce() {
		assertThat(this.mvc.post().uri("/demo/batch?jobs=20&millis=10")).hasStatus(202);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.mvc.get().uri("/demo/ledger")).bodyJson()
				.extractingPath("$.completed")
				.isEqualTo(20));
		assertThat(this.mvc.get().uri("/demo/ledger")).bodyJson().extractingPath("$.duplicates").isEqualTo(0);
	}

}
