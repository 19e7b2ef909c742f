package io.gracefulworker.core;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What became of the jobs of one drain, by job name and {@link DrainOutcome}.
 */
final class DrainTally {

	private static final DrainOutcome[] OUTCOMES = DrainOutcome.values();

	private final Map<String, AtomicIntegerArray> byJob = new ConcurrentHashMap<>();

	void add(String job, DrainOutcome outcome) {
		this.byJob.computeIfAbsent(job, (name) -> new AtomicIntegerArray(OUTCOMES.length))
			.incrementAndGet(outcome.ordinal());
	}

	int count(DrainOutcome outcome) {
		int total = 0;
		for (AtomicIntegerArray counts : this.byJob.values()) {
			total += counts.get(outcome.ordinal());
		}
		return total;
	}

	/**
	 * Returns the counts by job name, sorted, each with the outcomes that occurred.
	 * @return job names to outcomes to counts
	 */
	Map<String, Map<DrainOutcome, Integer>> byJob() {
		Map<String, Map<DrainOutcome, Integer>> jobs = new TreeMap<>();
		this.byJob.forEach((job, counts) -> {
			Map<DrainOutcome, Integer> outcomes = new EnumMap<>(DrainOutcome.class);
			for (DrainOutcome outcome : OUTCOMES) {
				if (counts.get(outcome.ordinal()) > 0) {
					outcomes.put(outcome, counts.get(outcome.ordinal()));
				}
			}
			jobs.put(job, Collections.unmodifiableMap(outcomes));
		});
		return Collections.unmodifiableMap(jobs);
	}

	/**
	 * Returns the counts as one line: {@code demo.report 2 finished, 1 interrupted; ...}.
	 * @return the line, empty if no job ran during the drain
	 */
	String describe() {
		StringBuilder line = new StringBuilder();
		byJob().forEach((job, outcomes) -> {
			line.append(line.isEmpty() ? "" : "; ").append(job);
			String separator = " ";
			for (Map.Entry<DrainOutcome, Integer> entry : outcomes.entrySet()) {
				line.append(separator).append(entry.getValue()).append(' ').append(entry.getKey().tagValue());
				separator = ", ";
			}
		});
		return line.toString();
	}

}
