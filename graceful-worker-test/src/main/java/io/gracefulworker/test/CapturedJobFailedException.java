package io.gracefulworker.test;

/**
 * Thrown when a captured job run on the test's thread throws; the job's exception is the cause.
 */
public class CapturedJobFailedException extends RuntimeException {

	private final transient CapturedJob job;

	CapturedJobFailedException(CapturedJob job, Throwable cause) {
		super("Job " + job.name() + " (" + job.id().value() + ") failed: " + cause, cause);
		this.job = job;
	}

	/**
	 * Returns the job that failed.
	 * @return the job
	 */
	public CapturedJob getJob() {
		return this.job;
	}

}
