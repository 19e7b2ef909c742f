package io.gracefulworker;

/**
 * Thrown by {@link JobContext#requeue()} to end an execution and put the job back in its queue
 * without counting an attempt.
 */
public class JobRequeueException extends RuntimeException {

	public JobRequeueException() {
		super("Job asked to be requeued", null, false, false);
	}

}
