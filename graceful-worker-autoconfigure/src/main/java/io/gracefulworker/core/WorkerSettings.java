package io.gracefulworker.core;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How a {@link GracefulWorker} runs: its identity, concurrency, queues and timings. It has no
 * defaults of its own: the configuration that builds it has them.
 *
 * @param id the worker's id, unique across processes
 * @param concurrency how many jobs run at once
 * @param queues the queues to consume, with their weights
 * @param leaseDuration how long a claimed job stays leased without a heartbeat
 * @param heartbeatInterval how often leases are renewed, at most a third of the lease
 * @param pollInterval the longest wait of an idle worker between two claims
 * @param recoveryInterval how often expired leases are looked for
 * @param maxRecoveries how often a job may be recovered before it goes to the dead set
 * @param unknownJobRetryDelay how long a job of an unknown name is given back for
 * @param unknownJobTimeout how long a job of an unknown name may wait for a worker that knows it
 * @param requeueReserve the time kept at the end of the shutdown phase to requeue, or
 * {@code null} for the default of {@link DrainBudget}
 * @param phase the lifecycle phase
 * @param virtualThreads whether jobs run on virtual threads
 * @param handOffs whether the worker registers for jobs handed over by an enqueue when it has a
 * slot free
 */
public record WorkerSettings(String id, int concurrency, Map<String, Integer> queues, Duration leaseDuration,
		Duration heartbeatInterval, Duration pollInterval, Duration recoveryInterval, int maxRecoveries,
		Duration unknownJobRetryDelay, Duration unknownJobTimeout, @Nullable Duration requeueReserve, int phase,
		boolean virtualThreads, boolean handOffs) {

	public WorkerSettings {
		Assert.hasText(id, "'id' must not be empty");
		Assert.isTrue(concurrency >= 1, () -> "'concurrency' must be at least 1, but is " + concurrency);
		Assert.notEmpty(queues, "'queues' must name at least one queue");
		Assert.isTrue(positive(heartbeatInterval) && positive(pollInterval) && positive(recoveryInterval),
				"intervals must be positive");
		Assert.isTrue(leaseDuration.compareTo(heartbeatInterval.multipliedBy(3)) >= 0,
				() -> "the lease (" + leaseDuration.toMillis() + " ms) must last at least three heartbeat intervals ("
						+ heartbeatInterval.toMillis() + " ms), or it would expire between two renewals");
		Assert.isTrue(maxRecoveries >= 0, "'maxRecoveries' must not be negative");
		queues = Collections.unmodifiableMap(new LinkedHashMap<>(queues));
	}

	/**
	 * Settings of a worker that takes no hand-offs.
	 */
	public WorkerSettings(String id, int concurrency, Map<String, Integer> queues, Duration leaseDuration,
			Duration heartbeatInterval, Duration pollInterval, Duration recoveryInterval, int maxRecoveries,
			Duration unknownJobRetryDelay, Duration unknownJobTimeout, @Nullable Duration requeueReserve, int phase,
			boolean virtualThreads) {
		this(id, concurrency, queues, leaseDuration, heartbeatInterval, pollInterval, recoveryInterval, maxRecoveries,
				unknownJobRetryDelay, unknownJobTimeout, requeueReserve, phase, virtualThreads, false);
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
