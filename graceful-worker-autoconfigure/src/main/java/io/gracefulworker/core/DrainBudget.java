package io.gracefulworker.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The times of one drain, computed once from the shutdown phase's timeout: running jobs may
 * finish until {@link #window()}; then what still runs is interrupted and given
 * {@link #interruptGrace()} to return; the rest is requeued, and every write to the store ends
 * {@link #margin()} before the phase does.
 *
 * @param phaseTimeout how long the shutdown phase waits for the worker
 * @param reserve the time kept at the end of the phase to interrupt and requeue
 * @param interruptGrace how long interrupted jobs may take to return
 * @param margin how long before the phase ends the last write to the store must end
 */
public record DrainBudget(Duration phaseTimeout, Duration reserve, Duration interruptGrace, Duration margin) {

	private static final Duration MIN_RESERVE = Duration.ofSeconds(1);

	private static final Duration MAX_INTERRUPT_GRACE = Duration.ofSeconds(2);

	private static final Duration MARGIN = Duration.ofMillis(250);

	public DrainBudget {
		if (reserve.compareTo(phaseTimeout) >= 0) {
			throw new IllegalArgumentException("The requeue reserve (" + reserve.toMillis()
					+ " ms) must be shorter than the shutdown phase timeout (" + phaseTimeout.toMillis()
					+ " ms), or no time is left for running jobs to finish");
		}
	}

	/**
	 * Returns the budget of a drain in a phase of the given timeout.
	 * @param phaseTimeout the phase timeout
	 * @param reserve the reserve to keep, or {@code null} for a tenth of the timeout, at least
	 * one second but at most half the timeout
	 * @return the budget
	 * @throws IllegalArgumentException if the reserve does not fit in the timeout
	 */
	public static DrainBudget of(Duration phaseTimeout, @Nullable Duration reserve) {
		Duration kept = (reserve != null) ? reserve : defaultReserve(phaseTimeout);
		return new DrainBudget(phaseTimeout, kept, min(kept.dividedBy(2), MAX_INTERRUPT_GRACE), MARGIN);
	}

	private static Duration defaultReserve(Duration phaseTimeout) {
		Duration tenth = phaseTimeout.dividedBy(10);
		return min(max(tenth, MIN_RESERVE), phaseTimeout.dividedBy(2));
	}

	/**
	 * Returns how long running jobs may finish: the phase timeout less the reserve.
	 * @return the drain window
	 */
	public Duration window() {
		return this.phaseTimeout.minus(this.reserve);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

}
