package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.gracefulworker.JobRequeueException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes how each execution ended (success, retry, dead set, requeue) to the job queue, at most
 * once per execution, and counts it: in the totals, in the drain under way, and for the
 * {@link WorkerListener}.
 */
final class OutcomeRecorder {

	private static final Log logger = LogFactory.getLog(OutcomeRecorder.class);

	private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

	private final JobQueue queue;

	private final Backoff retries;

	private final WorkerSettings settings;

	private final StoreContact store;

	private final WorkerCounters counters;

	private final CurrentDrain drain;

	private final WorkerListener listener;

	private final JobCompleter completer;

	private final JobDurations durations;

	private final FailureLog failures = new FailureLog(FAILURE_LOG_INTERVAL);

	OutcomeRecorder(JobQueue queue, Backoff retries, WorkerSettings settings, StoreContact store,
			WorkerCounters counters, CurrentDrain drain, WorkerListener listener, JobDurations durations) {
		this.queue = queue;
		this.durations = durations;
		this.retries = retries;
		this.settings = settings;
		this.store = store;
		this.counters = counters;
		this.drain = drain;
		this.listener = listener;
		this.completer = new JobCompleter(queue, writeRetry(), store, this::completionWritten, settings.id());
	}

	JobCompleter completer() {
		return this.completer;
	}

	JobDurations durations() {
		return this.durations;
	}

	FailureLog failures() {
		return this.failures;
	}

	void succeeded(JobExecution execution) {
		if (execution.settle() && !cancelledIfRequested(execution)) {
			this.completer.submit(execution);
		}
	}

	/**
	 * Ends a settled execution as cancelled if a cancel reached it while it ran, however it
	 * ended; a success recorded before the request wins.
	 * @return whether it was cancelled
	 */
	private boolean cancelledIfRequested(JobExecution execution) {
		if (!execution.cancelRequested()) {
			return false;
		}
		if (write(() -> this.queue.cancelled(execution.job))) {
			executed(execution, JobOutcome.CANCELLED);
			this.counters.cancelled.incrementAndGet();
			logger.info("Job " + execution.job.id() + " (" + execution.name() + ") was cancelled while it ran");
		}
		return true;
	}

	private void completionWritten(JobExecution execution, JobCompleter.Completion completion) {
		switch (completion) {
			case ACCEPTED -> {
				executed(execution, JobOutcome.SUCCESS);
				this.counters.completed.incrementAndGet();
			}
			case REFUSED -> logger.warn("Job " + execution.job.id() + " finished, but its completion was refused:"
					+ " its lease was lost (it expired or was taken over), so another worker may run it again");
			case UNWRITTEN -> logger.warn("Job " + execution.job.id() + " finished, but its completion could not be"
					+ " written: the job store did not answer, so the job runs again when its lease expires");
		}
	}

	void failed(JobExecution execution, JobRecord record, Throwable ex) {
		if (execution.cancelRequested()) {
			if (execution.settle()) {
				cancelledIfRequested(execution);
			}
			return;
		}
		boolean stopping = this.drain.isStopping();
		if (ex instanceof JobRequeueException || (stopping && (execution.abandoned || isInterruption(ex)))) {
			if (execution.settle()) {
				requeue(execution, stopping ? "shutdown" : "requested", Duration.ZERO);
			}
			return;
		}
		if (!execution.settle()) {
			return;
		}
		this.counters.failed.incrementAndGet();
		JobError error = JobError.of("failed", ex);
		if (record.attempt() < record.maxAttempts()) {
			Duration delay = this.retries.delayAfter(record.attempt());
			if (write(() -> this.queue.fail(execution.job, error, delay))) {
				executed(execution, JobOutcome.RETRY);
				this.counters.retried.incrementAndGet();
				this.failures.failed(record.name(), ex, false, () -> "Job " + record.id() + " (" + record.name()
						+ ") failed attempt " + record.attempt() + " of " + record.maxAttempts() + "; retrying in "
						+ delay.toMillis() + " ms: " + error.type() + ": " + error.message());
			}
		}
		else if (write(() -> this.queue.fail(execution.job, error, null))) {
			executed(execution, JobOutcome.DEAD);
			this.counters.dead.incrementAndGet();
			this.failures.failed(record.name(), ex, true, () -> "Job " + record.id() + " (" + record.name()
					+ ") failed its last attempt (" + record.attempt() + " of " + record.maxAttempts()
					+ ") and moved to the dead set");
		}
	}

	void unreadable(JobExecution execution, String reason) {
		if (execution.settle() && write(() -> this.queue.fail(execution.job, JobError.of("unreadable", reason), null))) {
			executed(execution, JobOutcome.DEAD);
			this.counters.dead.incrementAndGet();
			logger.error("Job " + execution.job.id() + " cannot be read and moved to the dead set: " + reason);
		}
	}

	/**
	 * Gives back a job whose name this worker does not define, for a worker that does (a newer
	 * release may have enqueued it), until no worker took it for the unknown-job timeout.
	 * @param execution the execution
	 * @param record the job
	 */
	void unknown(JobExecution execution, JobRecord record) {
		giveBackUntilTimeout(execution, record, "unknown-job",
				"is named '" + record.name() + "', which this worker does not define",
				JobError.of("unknown-job", "No worker knew job '" + record.name() + "' for "
						+ this.settings.unknownJobTimeout().toMillis() + " ms"));
	}

	/**
	 * Gives back a job whose arguments do not fit the method this worker has (another release
	 * changed its parameters), for a worker that can read them, until no worker could for the
	 * unknown-job timeout.
	 * @param execution the execution
	 * @param record the job
	 * @param mismatch how the arguments do not fit, without their values
	 */
	void unknownShape(JobExecution execution, JobRecord record, String mismatch) {
		giveBackUntilTimeout(execution, record, "unknown-shape",
				"has arguments this worker cannot read (" + mismatch + ")",
				JobError.of("unreadable", "No worker could read the arguments of job '" + record.name() + "' for "
						+ this.settings.unknownJobTimeout().toMillis() + " ms: " + mismatch));
	}

	private void giveBackUntilTimeout(JobExecution execution, JobRecord record, String reason, String problem,
			JobError deadError) {
		if (!execution.settle()) {
			return;
		}
		Instant since = record.unknownSince();
		Duration waited = (since != null) ? Duration.between(since, Instant.now()) : Duration.ZERO;
		if (waited.compareTo(this.settings.unknownJobTimeout()) < 0) {
			logger.info("Job " + record.id() + " " + problem + "; giving it back for "
					+ this.settings.unknownJobRetryDelay().toMillis() + " ms");
			requeue(execution, reason, this.settings.unknownJobRetryDelay());
			return;
		}
		if (write(() -> this.queue.fail(execution.job, deadError, null))) {
			executed(execution, JobOutcome.DEAD);
			this.counters.dead.incrementAndGet();
			logger.error("Job " + record.id() + " " + problem + " and moved to the dead set: no worker took it for "
					+ this.settings.unknownJobTimeout().toMillis() + " ms");
		}
	}

	/**
	 * Gives a settled execution's job back, retrying while the store does not answer.
	 * @param execution the execution, settled by the caller
	 * @param reason why
	 * @param delay {@link Duration#ZERO} for the front of the queue, else when to retry
	 */
	void requeue(JobExecution execution, String reason, Duration delay) {
		if (!cancelledIfRequested(execution) && write(() -> this.queue.requeue(execution.job, reason, delay))) {
			requeued(execution);
		}
	}

	/**
	 * Gives a settled execution's job back to the front of its queue with one call to the
	 * store, as the drain does when no time is left to retry.
	 * @param execution the execution, settled by the caller
	 * @param reason why
	 */
	void requeueOnce(JobExecution execution, String reason) {
		if (execution.cancelRequested()) {
			cancelledIfRequested(execution);
		}
		else if (this.store.call(() -> this.queue.requeue(execution.job, reason, Duration.ZERO))) {
			requeued(execution);
		}
	}

	private void requeued(JobExecution execution) {
		executed(execution, JobOutcome.REQUEUED);
		this.counters.requeued.incrementAndGet();
	}

	/**
	 * Counts an outcome the store took: for the listener, and in the drain under way, where a
	 * requeue says how the job came back and every other outcome is a job that finished.
	 */
	private void executed(JobExecution execution, JobOutcome outcome) {
		this.drain.jobEnded(execution, (outcome != JobOutcome.REQUEUED) ? DrainOutcome.FINISHED
				: execution.ignoredInterrupt ? DrainOutcome.IGNORED_INTERRUPT
						: execution.abandoned ? DrainOutcome.INTERRUPTED : DrainOutcome.GAVE_BACK);
		Duration took = Duration.between(execution.startedAt, Instant.now());
		if (outcome == JobOutcome.SUCCESS) {
			this.durations.record(execution.name(), took);
		}
		try {
			this.listener.executed(execution.name(), execution.job.queue(), outcome, took);
		}
		catch (RuntimeException ex) {
			logger.debug("Worker listener failed", ex);
		}
	}

	/**
	 * Writes an outcome; if the store cannot be reached the lease expires and recovery gives the
	 * job to another worker, so the failure is logged, not thrown.
	 */
	private boolean write(Supplier<Boolean> operation) {
		Boolean written = this.store.retry(writeRetry(), operation,
				(ex) -> logger.warn("Worker " + this.settings.id() + " could not reach its job store to record a job's"
						+ " outcome (" + ex.getMessage() + "); its lease will expire and the job will run again"));
		return Boolean.TRUE.equals(written);
	}

	private Duration writeRetry() {
		return this.settings.leaseDuration().dividedBy(3);
	}

	private static boolean isInterruption(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof InterruptedException) {
				return true;
			}
		}
		return Thread.currentThread().isInterrupted();
	}

}
