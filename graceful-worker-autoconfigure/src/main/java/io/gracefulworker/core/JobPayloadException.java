package io.gracefulworker.core;

/**
 * Thrown when a stored job cannot be read: its record, its arguments or its checkpoint.
 */
public class JobPayloadException extends RuntimeException {

	public JobPayloadException(String message) {
		super(message);
	}

	public JobPayloadException(String message, Throwable cause) {
		super(message, cause);
	}

}
