package io.gracefulworker.core;

import java.util.Locale;

/**
 * What became of a job that ran while its worker drained.
 */
public enum DrainOutcome {

	/** It ended by itself before the deadline: succeeded, failed or was cancelled. */
	FINISHED,

	/** It gave itself back before the deadline (it saw the worker stop, or asked for a requeue). */
	GAVE_BACK,

	/** It still ran at the deadline, returned once interrupted, and was requeued. */
	INTERRUPTED,

	/**
	 * It still ran at the deadline and did not return within the grace after the interrupt: the
	 * drain requeued it anyway, so its late completion, if any, is never written.
	 */
	IGNORED_INTERRUPT;

	/**
	 * Returns the outcome as a metric tag value and endpoint key.
	 * @return the lower-case name with dashes
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
