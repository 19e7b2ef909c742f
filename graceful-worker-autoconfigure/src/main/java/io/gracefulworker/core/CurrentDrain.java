package io.gracefulworker.core;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Whether the worker stops, and the drain under way or last run: what running jobs ask
 * ({@link io.gracefulworker.JobContext#isStopping()}, the deadline) and where their outcomes
 * during a drain are counted.
 */
final class CurrentDrain {

	private volatile @Nullable Drain drain;

	private volatile boolean stopping;

	void begin(Drain started) {
		this.drain = started;
		this.stopping = true;
	}

	void reset() {
		this.stopping = false;
	}

	boolean isStopping() {
		return this.stopping;
	}

	@Nullable Drain get() {
		return this.drain;
	}

	Optional<Instant> deadline() {
		Drain current = this.drain;
		return (current != null && this.stopping) ? Optional.of(current.deadline()) : Optional.empty();
	}

	Optional<Instant> stopBy() {
		Drain current = this.drain;
		return (current != null && this.stopping) ? Optional.of(current.stopBy()) : Optional.empty();
	}

	Optional<DrainSnapshot> snapshot() {
		Drain current = this.drain;
		return (current != null) ? Optional.of(current.snapshot()) : Optional.empty();
	}

	void jobEnded(JobExecution execution, DrainOutcome outcome) {
		Drain current = this.drain;
		if (current != null && this.stopping) {
			current.jobEnded(execution, outcome);
		}
	}

}
