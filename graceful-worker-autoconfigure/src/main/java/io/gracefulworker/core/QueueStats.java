package io.gracefulworker.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Counts of one queue's jobs by state.
 *
 * @param ready jobs waiting to run
 * @param scheduled jobs due later (including retries)
 * @param leased jobs running
 * @param dead jobs in the dead set
 * @param oldestReadyAge how long the oldest ready job has waited, or {@code null}
 * @param consumers how many live workers consume the queue
 * @param succeeded how many of its jobs ever succeeded: its throughput is how fast this grows
 */
public record QueueStats(long ready, long scheduled, long leased, long dead, @Nullable Duration oldestReadyAge,
		long consumers, long succeeded) {

	/** No jobs and no consumers. */
	public static final QueueStats EMPTY = new QueueStats(0, 0, 0, 0, null, 0, 0);

}
