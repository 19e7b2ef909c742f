package io.gracefulworker.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gracefulworker.core.DrainSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The worker's current or last drain, in the {@link WorkerEndpoint}.
 */
public final class DrainDescriptor {

	private final DrainSnapshot drain;

	private final Duration remaining;

	DrainDescriptor(DrainSnapshot drain) {
		this.drain = drain;
		this.remaining = drain.remaining();
	}

	public Instant getStartedAt() {
		return this.drain.startedAt();
	}

	public Instant getDeadline() {
		return this.drain.deadline();
	}

	public Duration getRemaining() {
		return this.remaining;
	}

	public int getFinished() {
		return this.drain.finished();
	}

	public int getRequeued() {
		return this.drain.requeued();
	}

	public int getInterrupted() {
		return this.drain.interrupted();
	}

	public @Nullable Instant getStoppedAt() {
		return this.drain.stoppedAt();
	}

	/**
	 * Returns what became of the jobs that ran during the drain.
	 * @return job names to outcomes ({@code finished}, {@code gave-back},
	 * {@code interrupted}, {@code ignored-interrupt}) to counts
	 */
	public Map<String, Map<String, Integer>> getJobs() {
		Map<String, Map<String, Integer>> jobs = new LinkedHashMap<>();
		this.drain.jobs().forEach((job, outcomes) -> {
			Map<String, Integer> counts = new LinkedHashMap<>();
			outcomes.forEach((outcome, count) -> counts.put(outcome.tagValue(), count));
			jobs.put(job, counts);
		});
		return jobs;
	}

}
