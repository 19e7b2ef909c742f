package io.gracefulworker;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link JobClient} when the job store refused to store a job (Redis out of memory,
 * without enough replicas, or a replica after a failover), or could not confirm it as asked:
 * the enqueue was not acknowledged, and the caller may try again.
 */
public class JobNotStoredException extends RuntimeException {

	public JobNotStoredException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
