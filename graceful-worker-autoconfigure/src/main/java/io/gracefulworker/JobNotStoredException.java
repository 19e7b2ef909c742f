package io.gracefulworker;

/**
 * Thrown by {@link JobClient} when the job store refused to store a job, for example because
 * Redis is out of memory: nothing was stored, and the caller may try again later.
 */
public class JobNotStoredException extends RuntimeException {

	public JobNotStoredException(String message, Throwable cause) {
		super(message, cause);
	}

}
