package io.gracefulworker;

/**
 * The states of a {@link Worker}: {@code STARTING -> RUNNING <-> PAUSED -> DRAINING -> STOPPED}.
 */
public enum WorkerState {

	/** Created or starting; not claiming yet. */
	STARTING,

	/** Claiming and running jobs. */
	RUNNING,

	/** Not claiming; running jobs go on. */
	PAUSED,

	/** Stopping: not claiming; running jobs may finish until the drain deadline. */
	DRAINING,

	/** Not claiming and running nothing. */
	STOPPED

}
