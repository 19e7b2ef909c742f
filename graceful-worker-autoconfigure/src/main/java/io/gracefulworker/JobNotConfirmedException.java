package io.gracefulworker;

/**
 * Thrown by {@link JobClient} when the Redis master stored a job but fewer replicas than
 * {@code graceful-worker.enqueue.replicas} acknowledged it in time: the job may run, or may be
 * lost if the master fails over now. Enqueue it again with the same idempotency key to be sure
 * it is stored once.
 */
public class JobNotConfirmedException extends JobNotStoredException {

	public JobNotConfirmedException(String message) {
		super(message, null);
	}

}
