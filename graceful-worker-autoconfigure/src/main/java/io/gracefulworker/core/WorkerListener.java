package io.gracefulworker.core;

import java.time.Duration;

/**
 * Hears what the worker and the job client do, for metrics; methods run on the worker's threads
 * and must be quick.
 */
public interface WorkerListener {

	/** A listener that hears nothing. */
	WorkerListener NONE = new WorkerListener() {
	};

	/**
	 * Called when a job was stored.
	 * @param job the job name
	 * @param queue the queue
	 */
	default void enqueued(String job, String queue) {
	}

	/**
	 * Called when a job enqueued inside a transaction could not be stored after the commit.
	 * @param job the job name
	 * @param queue the queue
	 * @param outcome {@code retried} when the first store failed and retries began, {@code lost}
	 * when the retries gave up
	 */
	default void afterCommitStoreFailed(String job, String queue, String outcome) {
	}

	/**
	 * Called when an execution ended and its outcome was written.
	 * @param job the job name ({@code unknown} if its record could not be read)
	 * @param queue the queue
	 * @param outcome how it ended
	 * @param duration how long it ran
	 */
	default void executed(String job, String queue, JobOutcome outcome, Duration duration) {
	}

	/**
	 * Called when an enqueue handed a job over to this worker, which runs it without a claim
	 * ({@code graceful-worker.worker.hand-off}), on the thread that receives wake-ups: keep it
	 * short.
	 * @param queue the queue
	 */
	default void handedOver(String queue) {
	}

	/**
	 * Called when recovery moved jobs of dead workers back to ready.
	 * @param queue the queue
	 * @param count how many jobs
	 */
	default void recovered(String queue, int count) {
	}

	/**
	 * Called when a recovery pass removed ended jobs past their retention.
	 * @param queue the queue
	 * @param succeeded kept outcomes of succeeded or cancelled jobs removed
	 * @param dead dead jobs removed
	 * @param deadLeft dead jobs left in the queue
	 */
	default void trimmed(String queue, int succeeded, int dead, long deadLeft) {
	}

	/**
	 * Called when this worker found that another vanished while it drained.
	 * @param truncated the drain cut short
	 */
	default void truncatedDrain(TruncatedDrain truncated) {
	}

	/**
	 * Called when a job that ran during a drain ended, or was given back.
	 * @param job the job name
	 * @param outcome what became of it
	 */
	default void drainedJob(String job, DrainOutcome outcome) {
	}

	/**
	 * Called when this worker claimed due ticks of a cron schedule.
	 * @param job the schedule's job name
	 * @param fired jobs enqueued
	 * @param missed ticks skipped as missed while no worker ran
	 * @param overlapping ticks skipped because the previous job had not ended
	 */
	default void recurringFired(String job, int fired, int missed, int overlapping) {
	}

	/**
	 * Called when a drain ended.
	 * @param deadlineReached whether jobs were still running at the deadline
	 * @param duration how long the drain took
	 */
	default void drained(boolean deadlineReached, Duration duration) {
	}

}
