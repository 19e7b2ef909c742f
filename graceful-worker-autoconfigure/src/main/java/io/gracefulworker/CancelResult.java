package io.gracefulworker;

/**
 * What a cancel did.
 */
public enum CancelResult {

	/** The job waited (ready or scheduled) and will never run. */
	CANCELLED,

	/** The job runs already; it was not cancelled. */
	RUNNING,

	/** The job has ended already (succeeded or cancelled). */
	FINISHED,

	/** The job is in the dead set; delete it instead. */
	DEAD,

	/** No job has this id (or its outcome is no longer kept). */
	UNKNOWN

}
