package io.gracefulworker;

import java.util.Optional;

/**
 * Finds stored jobs and acts on them: the status of a job by id, cancelling a waiting job, and
 * listing, retrying and deleting dead jobs.
 */
public interface JobOperations {

	/**
	 * Returns where a job stands.
	 * @param id the job id
	 * @return the status, or empty if no job has this id (or its outcome is no longer kept)
	 */
	Optional<JobStatus> status(JobId id);

	/**
	 * Returns the arguments a job was stored with, as JSON. Only this API shows them: never an
	 * endpoint, a log or a stored error.
	 * @param id the job id
	 * @return the arguments as a JSON array, or empty if the job is unknown or has ended (an
	 * ended job's outcome keeps no arguments)
	 */
	Optional<String> arguments(JobId id);

	/**
	 * Cancels a job. One that waits (ready or scheduled) is removed atomically: a job claimed in
	 * the same instant either runs or is cancelled, never both. One that runs is told through
	 * {@link JobContext#isCancelled()} and ends cancelled, whatever it returns, unless its
	 * success was recorded first; it is not interrupted.
	 * @param id the job id
	 * @return what the cancel did
	 */
	default CancelResult cancel(JobId id) {
		return cancel(id, false);
	}

	/**
	 * Cancels a job as {@link #cancel(JobId)} does, and interrupts a running one when asked.
	 * @param id the job id
	 * @param interrupt whether to interrupt the job's thread if it runs
	 * @return what the cancel did
	 */
	CancelResult cancel(JobId id, boolean interrupt);

	/**
	 * Lists dead jobs, newest first.
	 * @param query which jobs and which page
	 * @return the page
	 */
	DeadJobPage deadJobs(DeadJobQuery query);

	/**
	 * Moves a dead job back to the end of its queue with its attempts reset; it keeps its
	 * idempotency key.
	 * @param id the job id
	 * @throws IllegalArgumentException if the job is not dead (the message says where it is)
	 */
	void retryDead(JobId id);

	/**
	 * Moves every dead job that the query matches (its page is ignored) back to the end of its
	 * queue, as {@link #retryDead(JobId)} does.
	 * @param query which jobs
	 * @return how many jobs were moved
	 */
	int retryDead(DeadJobQuery query);

	/**
	 * Deletes a dead job and frees its idempotency key.
	 * @param id the job id
	 * @throws IllegalArgumentException if the job is not dead (the message says where it is)
	 */
	void deleteDead(JobId id);

	/**
	 * Deletes every dead job that the query matches (its page is ignored).
	 * @param query which jobs
	 * @return how many jobs were deleted
	 */
	int deleteDead(DeadJobQuery query);

}
