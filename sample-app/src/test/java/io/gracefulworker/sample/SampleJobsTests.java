package io.gracefulworker.sample;

import io.gracefulworker.JobId;
import io.gracefulworker.test.AutoConfigureCapturedJobs;
import io.gracefulworker.test.CapturedJob;
import io.gracefulworker.test.CapturedJobs;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's own tests of the jobs its controller enqueues, as a user writes them with
 * {@code graceful-worker-test}: captured, asserted and run on the test's thread, with no Redis.
 */
// Port 1 has no Redis: nothing here needs one.
@SpringBootTest(properties = "spring.data.redis.port=1")
@AutoConfigureMockMvc
@AutoConfigureCapturedJobs
class SampleJobsTests {

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private CapturedJobs jobs;

	@Test
	void aReportRequestEnqueuesItsRenderingWithTheRequestAndReturnsTheJobsId() {
		MvcTestResult result = this.mvc.post()
			.uri("/reports")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"customer\":\"acme\",\"pages\":2}")
			.exchange();

		assertThat(result).hasStatus(202);
		assertThat(this.jobs).hasEnqueued(Reports::render)
			.hasArguments(new ReportRequest("acme", 2))
			.isInQueue("reports")
			.isDueNow();
		JobId id = this.jobs.named(Reports::render).get(0).id();
		assertThat(result).bodyJson().extractingPath("$.id").isEqualTo(id.value());

		assertThat(this.jobs.run(id).state()).isEqualTo(CapturedJob.State.SUCCEEDED);
	}

	@Test
	void anInvalidReportRequestEnqueuesNothing() {
		assertThat(this.mvc.post()
			.uri("/reports")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"customer\":\"\",\"pages\":0}")).hasStatus(400);

		assertThat(this.jobs).isEmpty();
	}

}
