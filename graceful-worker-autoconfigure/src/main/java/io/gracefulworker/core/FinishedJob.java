package io.gracefulworker.core;

import java.time.Instant;

/**
 * A job whose execution succeeded, with what its kept outcome tells.
 *
 * @param job the claimed job
 * @param startedAt when the execution started
 * @param worker the worker that ran it
 */
public record FinishedJob(ClaimedJob job, Instant startedAt, String worker) {
}
