package io.gracefulworker.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.gracefulworker.JobId;
import io.gracefulworker.core.InlineJobRunner;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;

/**
 * A job an application enqueued while its jobs were captured: what would have been stored, and
 * whether it has been run.
 */
public final class CapturedJob {

	private final NewJob job;

	private final Instant enqueuedAt;

	private final Supplier<InlineJobRunner> runner;

	private volatile State state = State.ENQUEUED;

	private volatile int runs;

	CapturedJob(NewJob job, Instant enqueuedAt, Supplier<InlineJobRunner> runner) {
		this.job = job;
		this.enqueuedAt = enqueuedAt;
		this.runner = runner;
	}

	public JobId id() {
		return new JobId(this.job.id());
	}

	public String name() {
		return this.job.name();
	}

	public String queue() {
		return this.job.queue();
	}

	/**
	 * Returns the arguments as the job's method will read them from their JSON, without its
	 * {@link io.gracefulworker.JobContext}: a value that does not survive JSON shows here as it
	 * would in the worker.
	 * @return the arguments
	 * @throws io.gracefulworker.core.JobPayloadException if the stored arguments do not fit
	 * the method
	 */
	public List<Object> arguments() {
		return this.runner.get().arguments(record());
	}

	/**
	 * Returns the arguments as they would be stored: a JSON array.
	 * @return the JSON
	 */
	public String argumentsJson() {
		return this.job.arguments();
	}

	/**
	 * Returns when the job is due: the time it was given to run at, or the enqueue plus the
	 * delay it was given.
	 * @return when it is due, or empty if it was enqueued to run at once
	 */
	public Optional<Instant> runAt() {
		if (this.job.runAt() != null) {
			return Optional.of(this.job.runAt());
		}
		Duration delay = this.job.delay();
		return (delay != null) ? Optional.of(this.enqueuedAt.plus(delay)) : Optional.empty();
	}

	public Optional<String> idempotencyKey() {
		return Optional.ofNullable(this.job.idempotencyKey());
	}

	public int maxAttempts() {
		return this.job.maxAttempts();
	}

	public Instant enqueuedAt() {
		return this.enqueuedAt;
	}

	public State state() {
		return this.state;
	}

	/**
	 * Returns how often the job has been run.
	 * @return the runs
	 */
	public int runs() {
		return this.runs;
	}

	@Override
	public String toString() {
		return this.job.name() + " (" + this.job.id() + ", " + this.state.name().toLowerCase() + ")";
	}

	NewJob job() {
		return this.job;
	}

	synchronized State run() {
		this.runs++;
		try {
			this.runner.get().run(record());
			this.state = State.SUCCEEDED;
		}
		catch (io.gracefulworker.JobRequeueException ex) {
			this.state = State.ENQUEUED;
		}
		catch (Throwable ex) {
			this.state = State.FAILED;
			throw new CapturedJobFailedException(this, ex);
		}
		return this.state;
	}

	private JobRecord record() {
		return new JobRecord(this.job.id(), this.job.name(), this.job.queue(), this.job.arguments(), this.runs,
				this.job.maxAttempts(), this.job.idempotencyKey(), null, null, this.job.bean(),
				this.enqueuedAt.toEpochMilli(), this.job.traceparent());
	}

	/**
	 * Where a captured job stands.
	 */
	public enum State {

		/**
		 * Not run yet, or run and put back by {@link io.gracefulworker.JobContext#requeue()}.
		 */
		ENQUEUED,

		/**
		 * Its last run returned.
		 */
		SUCCEEDED,

		/**
		 * Its last run threw.
		 */
		FAILED

	}

}
