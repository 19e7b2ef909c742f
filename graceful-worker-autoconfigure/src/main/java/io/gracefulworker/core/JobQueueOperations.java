package io.gracefulworker.core;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.gracefulworker.CancelResult;
import io.gracefulworker.JobStatus;
import org.jspecify.annotations.Nullable;

/**
 * The part of the storage SPI that operators' requests use (through
 * {@link DefaultJobOperations}): a job's status, cancels, and the dead set. A store that does
 * not support them keeps the defaults, which refuse.
 */
public interface JobQueueOperations {

	/**
	 * Returns where a job of a queue stands.
	 * @param queue the queue
	 * @param id the job id
	 * @return the status, or empty if the queue holds no such job
	 * @since 0.2.0
	 */
	default Optional<JobStatus> status(String queue, String id) {
		throw new UnsupportedOperationException("This job queue cannot look up jobs");
	}

	/**
	 * Returns the arguments a waiting, running or dead job was stored with.
	 * @param queue the queue
	 * @param id the job id
	 * @return the arguments as JSON, or empty if the queue holds no such job or it has ended
	 * @since 0.2.0
	 */
	default Optional<String> arguments(String queue, String id) {
		throw new UnsupportedOperationException("This job queue cannot look up jobs");
	}

	/**
	 * Cancels a job of a queue: one that waits at once, atomically with respect to claims; for
	 * one that runs, stores a request that its worker reads ({@link JobQueue#cancelRequests},
	 * and {@link JobQueue#subscribe(Consumer, Consumer)} at once) and that a claim honours if the job comes
	 * back to its queue.
	 * @param queue the queue
	 * @param id the job id
	 * @param interrupt whether the worker should interrupt a running job
	 * @return what the cancel did
	 * @since 0.2.0
	 */
	default CancelResult cancel(String queue, String id, boolean interrupt) {
		throw new UnsupportedOperationException("This job queue cannot cancel jobs");
	}

	/**
	 * Lists a queue's dead jobs that match, newest first.
	 * @param queue the queue
	 * @param name the job name, or {@code null} for any
	 * @param reason the error reason, or {@code null} for any
	 * @param skip how many matching jobs to pass over
	 * @param limit the most jobs to return
	 * @return the jobs, and whether more match
	 * @since 0.2.0
	 */
	default DeadJobs deadJobs(String queue, @Nullable String name, @Nullable String reason, int skip, int limit) {
		throw new UnsupportedOperationException("This job queue cannot list dead jobs");
	}

	/**
	 * Returns the ids of a queue's dead jobs that match, newest first.
	 * @param queue the queue
	 * @param name the job name, or {@code null} for any
	 * @param reason the error reason, or {@code null} for any
	 * @return the ids
	 * @since 0.2.0
	 */
	default List<String> deadIds(String queue, @Nullable String name, @Nullable String reason) {
		throw new UnsupportedOperationException("This job queue cannot list dead jobs");
	}

	/**
	 * Moves dead jobs of a queue back to the end of ready with their attempts reset, in one
	 * operation; ids that are no longer dead are left alone.
	 * @param queue the queue
	 * @param ids the job ids
	 * @return how many jobs were moved
	 * @since 0.2.0
	 */
	default int retryDead(String queue, List<String> ids) {
		throw new UnsupportedOperationException("This job queue cannot retry dead jobs");
	}

	/**
	 * Deletes dead jobs of a queue in one operation, freeing their idempotency keys; ids that
	 * are no longer dead are left alone.
	 * @param queue the queue
	 * @param ids the job ids
	 * @return how many jobs were deleted
	 * @since 0.2.0
	 */
	default int deleteDead(String queue, List<String> ids) {
		throw new UnsupportedOperationException("This job queue cannot delete dead jobs");
	}

	/**
	 * Dead jobs of one queue, newest first.
	 *
	 * @param jobs the jobs
	 * @param hasMore whether more jobs match
	 */
	record DeadJobs(List<JobStatus> jobs, boolean hasMore) {
	}

}
