package io.gracefulworker.core;

/**
 * A job an enqueue handed over, already leased to the worker.
 *
 * @param job the job
 * @param seq the number of the registration it took
 */
public record HandedOver(ClaimedJob job, long seq) {
}
