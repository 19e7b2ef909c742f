package io.gracefulworker.test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on one {@link CapturedJob}.
 */
public class CapturedJobAssert extends AbstractAssert<CapturedJobAssert, CapturedJob> {

	CapturedJobAssert(CapturedJob actual) {
		super(actual, CapturedJobAssert.class);
	}

	/**
	 * Verifies the job's arguments, as its method will read them back from JSON, without its
	 * {@link io.gracefulworker.JobContext}.
	 * @param expected the arguments, compared with {@code equals}
	 * @return this
	 */
	public CapturedJobAssert hasArguments(Object... expected) {
		isNotNull();
		List<Object> arguments = this.actual.arguments();
		if (!Objects.deepEquals(arguments.toArray(), expected)) {
			failWithMessage("Expected job %s to have the arguments%n  %s%nbut it has%n  %s", this.actual,
					Arrays.deepToString(expected), Arrays.deepToString(arguments.toArray()));
		}
		return this;
	}

	/**
	 * Verifies the job's arguments with the given assertions.
	 * @param requirements assertions on the arguments, as {@link CapturedJob#arguments()}
	 * gives them
	 * @return this
	 */
	public CapturedJobAssert hasArgumentsSatisfying(Consumer<List<Object>> requirements) {
		isNotNull();
		requirements.accept(this.actual.arguments());
		return this;
	}

	public CapturedJobAssert isInQueue(String queue) {
		isNotNull();
		if (!this.actual.queue().equals(queue)) {
			failWithMessage("Expected job %s in queue %s, but it is in %s", this.actual, queue, this.actual.queue());
		}
		return this;
	}

	/**
	 * Verifies that the job was enqueued to run at once.
	 * @return this
	 */
	public CapturedJobAssert isDueNow() {
		isNotNull();
		if (this.actual.runAt().isPresent()) {
			failWithMessage("Expected job %s to run at once, but it is due at %s", this.actual, this.actual.runAt().get());
		}
		return this;
	}

	public CapturedJobAssert isDueAt(Instant expected) {
		isNotNull();
		Optional<Instant> runAt = this.actual.runAt();
		if (!runAt.equals(Optional.of(expected))) {
			failWithMessage("Expected job %s to be due at %s, but it is due %s", this.actual, expected, due(runAt));
		}
		return this;
	}

	/**
	 * Verifies that the job was enqueued with this delay.
	 * @param expected the delay
	 * @return this
	 */
	public CapturedJobAssert isDelayedBy(Duration expected) {
		isNotNull();
		Optional<Duration> delay = this.actual.runAt().map((at) -> Duration.between(this.actual.enqueuedAt(), at));
		if (!delay.equals(Optional.of(expected))) {
			failWithMessage("Expected job %s to be delayed by %s, but it is due %s", this.actual, expected,
					due(this.actual.runAt()));
		}
		return this;
	}

	public CapturedJobAssert hasIdempotencyKey(String expected) {
		isNotNull();
		if (!this.actual.idempotencyKey().equals(Optional.of(expected))) {
			failWithMessage("Expected job %s to hold the idempotency key %s, but it holds %s", this.actual, expected,
					this.actual.idempotencyKey().orElse("none"));
		}
		return this;
	}

	public CapturedJobAssert hasMaxAttempts(int expected) {
		isNotNull();
		if (this.actual.maxAttempts() != expected) {
			failWithMessage("Expected job %s to have %s attempts, but it has %s", this.actual, expected,
					this.actual.maxAttempts());
		}
		return this;
	}

	public CapturedJobAssert isInState(CapturedJob.State expected) {
		isNotNull();
		if (this.actual.state() != expected) {
			failWithMessage("Expected job %s to be %s", this.actual, expected);
		}
		return this;
	}

	private static String due(Optional<Instant> runAt) {
		return runAt.map((at) -> "at " + at).orElse("at once");
	}

}
