package io.gracefulworker;

/**
 * Where a stored job stands.
 */
public enum JobState {

	/** Waiting until it is due (a delayed job, or a retry after a failure). */
	SCHEDULED,

	/** Waiting for a free worker. */
	READY,

	/** Leased to a worker that runs it. */
	RUNNING,

	/** Ended successfully; kept for {@code graceful-worker.retention.succeeded}. */
	SUCCEEDED,

	/** Failed its last attempt (or could not be run); kept for {@code graceful-worker.retention.dead}. */
	DEAD,

	/** Cancelled before it ran; kept like a succeeded job. */
	CANCELLED

}
