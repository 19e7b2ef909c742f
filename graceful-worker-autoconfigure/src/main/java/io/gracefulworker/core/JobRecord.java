package io.gracefulworker.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A job as stored, read back at claim time.
 *
 * @param id the job id
 * @param name the job name
 * @param queue the queue
 * @param arguments the arguments as a JSON array
 * @param attempt this attempt, starting at 1
 * @param maxAttempts the attempts before the dead set
 * @param idempotencyKey the idempotency key, or {@code null}
 * @param checkpoint the saved progress as JSON, or {@code null}
 * @param unknownSince when a worker first could not run the job (unknown name or arguments), or
 * {@code null}
 * @param bean the bean to run on, or {@code null} when the job is defined on one bean
 * @param enqueuedAt when the job was enqueued (epoch ms), or 0 if the record does not say
 * @param traceparent the W3C trace context of the enqueue, or {@code null}
 */
public record JobRecord(String id, String name, String queue, String arguments, int attempt, int maxAttempts,
		@Nullable String idempotencyKey, @Nullable String checkpoint, @Nullable Instant unknownSince,
		@Nullable String bean, long enqueuedAt, @Nullable String traceparent) {

	public JobRecord(String id, String name, String queue, String arguments, int attempt, int maxAttempts,
			@Nullable String idempotencyKey, @Nullable String checkpoint, @Nullable Instant unknownSince,
			@Nullable String bean, long enqueuedAt) {
		this(id, name, queue, arguments, attempt, maxAttempts, idempotencyKey, checkpoint, unknownSince, bean,
				enqueuedAt, null);
	}

}
