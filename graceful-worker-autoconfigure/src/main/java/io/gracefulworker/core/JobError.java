package io.gracefulworker.core;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Why an attempt failed, as stored with the job.
 *
 * @param reason a short machine-readable reason: {@code failed}, {@code unreadable},
 * {@code unknown-job}
 * @param type the exception class, if any
 * @param message the message
 * @param stack the first lines of the stack trace
 */
public record JobError(String reason, @Nullable String type, String message, @Nullable String stack) {

	private static final int STACK_LINES = 8;

	private static final int MAX_CAUSES = 5;

	/** The longest message stored. */
	public static final int MAX_MESSAGE = 2000;

	/**
	 * Returns the error of an exception: its class, its message followed by those of its causes
	 * (a wrapper's message alone often hides what went wrong), and the head of its stack.
	 * @param reason the reason
	 * @param ex the exception
	 * @return the error, its message at most {@value #MAX_MESSAGE} characters
	 */
	public static JobError of(String reason, Throwable ex) {
		String stack = Arrays.stream(ex.getStackTrace())
			.limit(STACK_LINES)
			.map(StackTraceElement::toString)
			.collect(Collectors.joining("\n"));
		StringBuilder message = new StringBuilder(
				(ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName());
		int depth = 0;
		for (Throwable cause = ex.getCause(); cause != null && cause != ex && depth < MAX_CAUSES; cause = cause
			.getCause(), depth++) {
			message.append("; caused by ").append(cause.getClass().getName());
			if (cause.getMessage() != null) {
				message.append(": ").append(cause.getMessage());
			}
		}
		String text = (message.length() > MAX_MESSAGE) ? message.substring(0, MAX_MESSAGE - 3) + "..."
				: message.toString();
		return new JobError(reason, ex.getClass().getName(), text, stack);
	}

	public static JobError of(String reason, String message) {
		return new JobError(reason, null, message, null);
	}

}
