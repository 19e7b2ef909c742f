package io.gracefulworker.core;

import java.time.Instant;

/**
 * A job that a worker runs now.
 *
 * @param id the job id
 * @param name the job name
 * @param queue the queue
 * @param attempt the attempt
 * @param startedAt when this execution started
 */
public record ActiveJob(String id, String name, String queue, int attempt, Instant startedAt) {
}
