package io.gracefulworker;

import java.time.Instant;
import java.util.Optional;

import io.gracefulworker.core.RecurringJobIds;

/**
 * What a running job may know of its own execution; declare it as a parameter of a {@link Job}
 * method and the worker supplies it.
 */
public interface JobContext {

	JobId id();

	String name();

	String queue();

	/**
	 * Returns the attempt this execution is, starting at 1. A requeue at shutdown does not count
	 * an attempt.
	 * @return the attempt
	 */
	int attempt();

	int maxAttempts();

	/**
	 * Returns whether the worker is draining: a long job should save a checkpoint and return
	 * soon, or call {@link #requeue()}.
	 * @return whether the worker is stopping
	 */
	boolean isStopping();

	/**
	 * Returns whether the job was cancelled while it runs
	 * ({@link JobOperations#cancel(JobId)}): a long job should stop soon, and whatever it
	 * returns or throws, it ends cancelled.
	 * @return whether the job is cancelled
	 */
	default boolean isCancelled() {
		return false;
	}

	/**
	 * Returns the tick of the cron schedule that fired this job ({@link Recurring}).
	 * @return the tick, or empty for a job that was enqueued
	 */
	default Optional<Instant> scheduledFor() {
		return RecurringJobIds.tick(id().value());
	}

	/**
	 * Returns the drain deadline once the worker is stopping: after it, the job is interrupted
	 * and put back in its queue.
	 * @return the deadline, or empty while the worker is not stopping
	 */
	Optional<Instant> deadline();

	/**
	 * Registers a callback run once when the worker starts draining (at once if it already
	 * is). It runs on the stopping thread, so it must be quick.
	 * @param callback the callback
	 */
	void onStopping(Runnable callback);

	/**
	 * Saves progress that the next attempt (after a retry or a requeue) can read with
	 * {@link #checkpoint(Class)}.
	 * @param progress the progress, written as JSON
	 * @throws IllegalStateException if this worker no longer owns the job
	 */
	void checkpoint(Object progress);

	/**
	 * Reads the progress that an earlier execution of this job saved.
	 * @param <T> the type of the progress
	 * @param type the type to read the progress as
	 * @return the progress, or empty if none was saved
	 */
	<T> Optional<T> checkpoint(Class<T> type);

	/**
	 * Ends this execution and puts the job back at the front of its queue without counting an
	 * attempt: for a job that sees {@link #isStopping()} and has saved its checkpoint. Never
	 * returns normally.
	 * @throws JobRequeueException always
	 */
	void requeue();

}
