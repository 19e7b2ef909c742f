package io.gracefulworker.test;

import java.time.Duration;
import java.time.Instant;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequest;
import io.gracefulworker.RecurringJobs;
import io.gracefulworker.Worker;
import io.gracefulworker.core.JobPayloadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

// Port 1 has no Redis: the context starts and the jobs are captured without one.
@SpringBootTest(properties = "spring.data.redis.port=1")
@AutoConfigureCapturedJobs
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CapturedJobsTests {

	@Autowired
	private Shipments shipments;

	@Autowired
	private JobClient client;

	@Autowired
	private CapturedJobs jobs;

	@Autowired
	private ApplicationContext context;

	@AfterEach
	void forget() {
		this.shipments.forget();
	}

	@Test
	@Order(1)
	void beanCallIsCapturedWithItsArgumentsAndDoesNotRun() {
		this.shipments.ship("order-1", 2);

		assertThat(this.shipments.ran()).isEmpty();
		assertThat(this.jobs).hasSize(1);
		assertThat(this.jobs).hasEnqueued("shop.ship").hasArguments("order-1", 2).isInQueue("shipping").isDueNow()
			.hasMaxAttempts(5).isInState(CapturedJob.State.ENQUEUED);
		assertThat(this.jobs).hasEnqueued(Shipments::ship).hasArguments("order-1", 2);
		assertThat(this.jobs).hasNotEnqueued("shop.refund");
		assertThat(this.jobs.all().get(0).argumentsJson()).isEqualTo("[\"order-1\",2]");
		assertThat(this.context.getBeansOfType(Worker.class)).isEmpty();
	}

	@Test
	@Order(2)
	void jobsCapturedInOneTestAreForgottenBeforeTheNext() {
		assertThat(this.jobs).isEmpty();
	}

	@Test
	void pendingJobsRunOnTheTestsThreadAndSoDoTheJobsTheyEnqueue() {
		this.shipments.ship("order-2", 1);

		assertThat(this.jobs.runPending()).isEqualTo(2);

		assertThat(this.shipments.ran()).containsExactly("ship order-2 x1", "notify order-2 attempt 1");
		assertThat(this.shipments.threads()).containsOnly(Thread.currentThread());
		assertThat(this.jobs).allSucceeded().hasEnqueued("shop.notify").hasArguments("order-2");
		assertThat(this.jobs.pending()).isEmpty();
	}

	@Test
	void typedEnqueueReturnsTheIdOfTheCapturedJobWhichRunsOnDemand() {
		JobId id = this.client.enqueue(Shipments::ship, "order-3", 4);

		assertThat(this.jobs.find(id)).hasValueSatisfying((job) -> assertThat(job.name()).isEqualTo("shop.ship"));
		assertThat(this.jobs.run(id).state()).isEqualTo(CapturedJob.State.SUCCEEDED);
		assertThat(this.shipments.ran()).containsExactly("ship order-3 x4");
		assertThat(this.jobs.named(Shipments::notifyCustomer)).singleElement()
			.satisfies((job) -> assertThat(job.state()).isEqualTo(CapturedJob.State.ENQUEUED));
	}

	@Test
	void anArgumentThatDoesNotSurviveJsonFailsTheTestAsItWouldFailTheWorker() {
		this.shipments.label(new Shipments.Parcel(12));

		assertThatExceptionOfType(JobPayloadException.class)
			.isThrownBy(() -> assertThat(this.jobs).hasEnqueued("shop.label").hasArguments(new Shipments.Parcel(12)))
			.withMessageContaining("cannot be read as io.gracefulworker.test.Shipments$Parcel");
		assertThatExceptionOfType(CapturedJobFailedException.class).isThrownBy(this.jobs::runPending)
			.withCauseInstanceOf(JobPayloadException.class);
		assertThat(this.shipments.ran()).isEmpty();
	}

	@Test
	void aJobThatThrowsFailsItsRunWithTheJobsExceptionAndLeavesTheNextPending() {
		this.shipments.refund("order-4");
		this.shipments.ship("order-5", 1);

		assertThatExceptionOfType(CapturedJobFailedException.class).isThrownBy(this.jobs::runPending)
			.withMessageContaining("shop.refund")
			.withCauseInstanceOf(IllegalStateException.class)
			.satisfies((ex) -> assertThat(ex.getJob().state()).isEqualTo(CapturedJob.State.FAILED));
		assertThat(this.jobs.pending()).extracting(CapturedJob::name).containsExactly("shop.ship");
		assertThat(this.jobs.runPending("shop.ship")).isEqualTo(1);
		assertThat(this.jobs.pending()).extracting(CapturedJob::name).containsExactly("shop.notify");
	}

	@Test
	void aJobThatAsksToBeRequeuedStaysPending() {
		JobId id = this.client.enqueue(Shipments::later, null);

		assertThat(this.jobs.run(id).state()).isEqualTo(CapturedJob.State.ENQUEUED);
		assertThat(this.jobs.run(id).runs()).isEqualTo(2);
		assertThatIllegalStateException().isThrownBy(this.jobs::runPending).withMessageContaining("Still pending after");
	}

	@Test
	void anIdempotencyKeyHeldByACapturedJobReturnsThatJobsId() {
		JobId first = this.client.enqueue(JobRequest.of(Shipments::ship, "order-6", 1).idempotencyKey("order-6"));
		JobId second = this.client.enqueue(JobRequest.of(Shipments::ship, "order-6", 1).idempotencyKey("order-6"));

		assertThat(second).isEqualTo(first);
		assertThat(this.jobs).hasEnqueued("shop.ship").hasIdempotencyKey("order-6");
	}

	@Test
	void scheduledJobsKeepWhenTheyAreDue() {
		Instant at = Instant.parse("2030-01-01T00:00:00Z");
		this.client.enqueue(JobRequest.of(Shipments::ship, "order-7", 1).delay(Duration.ofMinutes(5)));
		this.client.enqueue(JobRequest.of(Shipments::refund, "order-8").runAt(at));

		assertThat(this.jobs).hasEnqueued("shop.ship").isDelayedBy(Duration.ofMinutes(5));
		assertThat(this.jobs).hasEnqueued("shop.refund").isDueAt(at);
	}

	@Test
	void failedAssertionsNameWhatWasEnqueued() {
		this.shipments.ship("order-9", 1);

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.jobs).hasEnqueued("shop.refund"))
			.withMessageContaining("Expected one job shop.refund to be enqueued, but 0 were")
			.withMessageContaining("shop.ship");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> assertThat(this.jobs).hasEnqueued("shop.ship").hasArguments("order-9", 2))
			.withMessageContaining("[order-9, 2]")
			.withMessageContaining("[order-9, 1]");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> assertThat(this.jobs).isEmpty());
	}

	@Test
	void recurringSchedulesAreKeptWithoutFiring(@Autowired RecurringJobs recurring) {
		recurring.schedule("shop.later", "0 0 * * * *", java.time.ZoneOffset.UTC);

		assertThat(recurring.schedules()).extracting((state) -> state.schedule().job()).containsExactly("shop.later");
		assertThat(recurring.unschedule("shop.later")).isTrue();
		assertThat(this.jobs).isEmpty();
	}

}
