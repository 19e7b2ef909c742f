package io.gracefulworker.core;

/**
 * What a worker has done since it was created.
 *
 * @param completed jobs that ran to the end
 * @param failed attempts that threw
 * @param retried failed attempts scheduled to run again
 * @param dead jobs this worker moved to the dead set
 * @param requeued jobs given back without counting an attempt (shutdown, unknown name)
 * @param recovered jobs of dead workers that this worker's recovery moved back to ready
 * @param cancelled jobs cancelled while they ran
 */
public record WorkerTotals(long completed, long failed, long retried, long dead, long requeued, long recovered,
		long cancelled) {
}
