package io.gracefulworker.core;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The typical run time of each job on this worker, a moving average of its successful
 * executions, and a warning, once per job, when it exceeds the drain window: every drain then
 * interrupts that job and it runs again.
 */
final class JobDurations {

	private static final Log logger = LogFactory.getLog(JobDurations.class);

	/** Runs seen before a job's average is trusted enough to warn. */
	static final int RUNS_BEFORE_WARNING = 5;

	private final DrainBudget budget;

	private final Map<String, Average> averages = new ConcurrentHashMap<>();

	JobDurations(DrainBudget budget) {
		this.budget = budget;
	}

	void record(String job, Duration took) {
		Average average = this.averages.computeIfAbsent(job, (name) -> new Average());
		long typical = average.add(took.toNanos());
		if (average.runs >= RUNS_BEFORE_WARNING && typical > this.budget.window().toNanos()
				&& average.warned.compareAndSet(false, true)) {
			warn(job, Duration.ofNanos(typical));
		}
	}

	private void warn(String job, Duration typical) {
		long needed = typical.plus(this.budget.reserve()).toSeconds() + 1;
		logger.warn("Job '" + job + "' typically runs " + typical.toMillis() + " ms, longer than this worker's drain"
				+ " window of " + this.budget.window().toMillis() + " ms (the shutdown phase of "
				+ this.budget.phaseTimeout().toMillis() + " ms less " + this.budget.reserve().toMillis()
				+ " ms to requeue): every drain interrupts it and it runs again. Raise"
				+ " spring.lifecycle.timeout-per-shutdown-phase to at least " + needed
				+ "s (and terminationGracePeriodSeconds with it), or let the job save a checkpoint and give itself"
				+ " back when JobContext.isStopping()");
	}

	/**
	 * Returns, of the given jobs, those whose typical run time exceeds the drain window.
	 * @param jobs job names
	 * @return the names with their typical run time
	 */
	Map<String, Duration> outlastingTheWindow(Collection<String> jobs) {
		Map<String, Duration> outlasting = new LinkedHashMap<>();
		for (String job : jobs) {
			Average average = this.averages.get(job);
			if (average != null && average.nanos > this.budget.window().toNanos()) {
				outlasting.put(job, Duration.ofNanos(average.nanos));
			}
		}
		return outlasting;
	}

	/**
	 * An exponentially weighted average; concurrent updates may lose a sample, which an
	 * estimate can afford on the hot path.
	 */
	private static final class Average {

		private volatile long nanos;

		private volatile int runs;

		private final AtomicBoolean warned = new AtomicBoolean();

		long add(long sample) {
			long average = (this.runs == 0) ? sample : this.nanos + (sample - this.nanos) / 8;
			this.nanos = average;
			this.runs = Math.min(this.runs + 1, Integer.MAX_VALUE - 1);
			return average;
		}

	}

}
