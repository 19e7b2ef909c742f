package io.gracefulworker.core;

/**
 * A worker's offer of one free slot for a job an enqueue hands over, leased as the claim that
 * made it leases its jobs: its id and the claim's number.
 *
 * @param worker the worker id
 * @param seq the number of the claim that made it, unique to the worker
 */
public record HandOffRegistration(String worker, long seq) {
}
