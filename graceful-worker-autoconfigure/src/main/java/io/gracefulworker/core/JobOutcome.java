package io.gracefulworker.core;

import java.util.Locale;

/**
 * How one execution of a job ended.
 */
public enum JobOutcome {

	/** The job ran to the end and was removed. */
	SUCCESS,

	/** The job failed and was scheduled to run again. */
	RETRY,

	/** The job failed its last attempt, or could not be read, and went to the dead set. */
	DEAD,

	/** The job was given back without counting an attempt (shutdown, unknown name, requested). */
	REQUEUED,

	/** The job was cancelled while it ran. */
	CANCELLED;

	/**
	 * Returns the outcome as a metric tag value.
	 * @return the lower-case name
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
