package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A job to store: its identity, encoded arguments and options.
 *
 * @param id the new job's id
 * @param name the job name
 * @param queue the queue
 * @param arguments the arguments as a JSON array
 * @param maxAttempts the attempts before the dead set
 * @param idempotencyKey an optional idempotency key
 * @param runAt when to run, or {@code null}
 * @param delay how long from now to run, or {@code null}
 * @param bean the bean to run on, or {@code null} when the job is defined on one bean
 * @param traceparent the W3C trace context of the enqueue, which the execution continues, or
 * {@code null}
 */
public record NewJob(String id, String name, String queue, String arguments, int maxAttempts,
		@Nullable String idempotencyKey, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String bean,
		@Nullable String traceparent) {

	public NewJob(String id, String name, String queue, String arguments, int maxAttempts,
			@Nullable String idempotencyKey, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String bean) {
		this(id, name, queue, arguments, maxAttempts, idempotencyKey, runAt, delay, bean, null);
	}

	/**
	 * Returns this job carrying the given trace context.
	 * @param traceparent the W3C {@code traceparent}, or {@code null}
	 * @return the job
	 */
	public NewJob withTraceparent(@Nullable String traceparent) {
		return new NewJob(this.id, this.name, this.queue, this.arguments, this.maxAttempts, this.idempotencyKey,
				this.runAt, this.delay, this.bean, traceparent);
	}

}
