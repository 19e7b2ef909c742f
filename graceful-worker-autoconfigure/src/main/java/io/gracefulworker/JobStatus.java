package io.gracefulworker;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What is known of one stored job: its state, attempts, times and last error; never its
 * arguments (see {@link JobOperations#arguments(JobId)}).
 *
 * @param id the job id
 * @param name the job name
 * @param queue the queue
 * @param state where the job stands
 * @param attempt the attempt running or last made (0 before the first)
 * @param maxAttempts the attempts before the dead set
 * @param enqueuedAt when it was enqueued, if known
 * @param dueAt when a scheduled job is due, else {@code null}
 * @param startedAt when the running or succeeded attempt started, else {@code null}
 * @param finishedAt when it succeeded, died or was cancelled, else {@code null}
 * @param worker the worker that runs it or ran its last attempt, if known
 * @param lastError the error of the last failed attempt, if any
 * @param requeues how often it was given back without counting an attempt (a drain, an
 * unknown job)
 * @param requeueReason why it was last given back, if it was
 * @param retries how often it was retried from the dead set
 */
public record JobStatus(JobId id, String name, String queue, JobState state, int attempt, int maxAttempts,
		@Nullable Instant enqueuedAt, @Nullable Instant dueAt, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, @Nullable String worker, @Nullable LastError lastError, int requeues,
		@Nullable String requeueReason, int retries) {

	/**
	 * The error of a failed attempt, as stored; its message holds no argument value unless the
	 * job's own exception put one there.
	 *
	 * @param reason a short reason: {@code failed}, {@code unreadable}, {@code poison}, ...
	 * @param type the exception class, if any
	 * @param message the message
	 * @param stack the head of the stack trace, if any
	 * @param at when it happened, if known
	 */
	public record LastError(String reason, @Nullable String type, String message, @Nullable String stack,
			@Nullable Instant at) {
	}

}
