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
 */
public record NewJob(String id, String name, String queue, String arguments, int maxAttempts,
		@Nullable String idempotencyKey, @Nullable Instant runAt, @Nullable Duration delay, @Nullable String bean) {
}
