package io.gracefulworker;

/**
 * What a cancel did.
 */
public enum CancelResult {

	/** The job waited (ready or scheduled) and will never run. */
	CANCELLED,

	/**
	 * The job runs: its worker is told ({@link JobContext#isCancelled()}, and an interrupt when
	 * asked for), and the job ends cancelled unless its success was recorded first.
	 */
	CANCELLING,

	/** The job has ended already (succeeded or cancelled). */
	FINISHED,

	/** The job is in the dead set; delete it instead. */
	DEAD,

	/** No job has this id (or its outcome is no longer kept). */
	UNKNOWN

}
