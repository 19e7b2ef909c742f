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

	public static JobError of(String reason, Throwable ex) {
		String stack = Arrays.stream(ex.getStackTrace())
			.limit(STACK_LINES)
			.map(StackTraceElement::toString)
			.collect(Collectors.joining("\n"));
		String message = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return new JobError(reason, ex.getClass().getName(), message, stack);
	}

	public static JobError of(String reason, String message) {
		return new JobError(reason, null, message, null);
	}

}
