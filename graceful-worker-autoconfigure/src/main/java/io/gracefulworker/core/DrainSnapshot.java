package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The progress of a worker's drain.
 *
 * @param startedAt when the drain began
 * @param deadline when running jobs are interrupted and requeued
 * @param finished jobs that finished during the drain
 * @param requeued jobs put back in their queue
 * @param interrupted of those, the jobs interrupted at the deadline (the others gave themselves
 * back)
 * @param stoppedAt when the worker stopped, or {@code null} while draining
 * @param jobs what became of the jobs that ran during the drain, by job name
 */
public record DrainSnapshot(Instant startedAt, Instant deadline, int finished, int requeued, int interrupted,
		@Nullable Instant stoppedAt, Map<String, Map<DrainOutcome, Integer>> jobs) {

	/**
	 * Returns the time left until the deadline.
	 * @return the time left, zero once passed or stopped
	 */
	public Duration remaining() {
		if (this.stoppedAt != null) {
			return Duration.ZERO;
		}
		Duration left = Duration.between(Instant.now(), this.deadline);
		return left.isNegative() ? Duration.ZERO : left;
	}

}
