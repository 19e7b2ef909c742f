package io.gracefulworker.core;

/**
 * A request to cancel a running job.
 *
 * @param id the job id
 * @param interrupt whether to interrupt its thread
 */
public record CancelRequest(String id, boolean interrupt) {
}
