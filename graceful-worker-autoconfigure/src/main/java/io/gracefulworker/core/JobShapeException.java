package io.gracefulworker.core;

/**
 * Thrown when a job's arguments are JSON but do not fit its method: too many, too few, or of
 * another type. In a rollout that is a job of another version of the method, so the worker gives
 * it back for a worker that can read it.
 */
public class JobShapeException extends JobPayloadException {

	public JobShapeException(String message) {
		super(message);
	}

}
