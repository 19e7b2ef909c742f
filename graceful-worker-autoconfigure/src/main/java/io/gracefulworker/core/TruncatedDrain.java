package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A worker that vanished while it drained: its fleet entry lapsed, still DRAINING, before its
 * shutdown phase ended. Its platform killed it early (Kubernetes'
 * {@code terminationGracePeriodSeconds} shorter than the drain), so its jobs were neither
 * finished nor put back by it: their leases expire and recovery gives them to another worker.
 *
 * @param workerId the worker's id
 * @param host the host or pod name
 * @param version the application's version, if known
 * @param jobIds the jobs it held when last seen
 * @param lastSeen when it last published its entry
 * @param stopBy when its shutdown phase would have ended
 * @param shortfall how much longer it needed to live: from when it was last seen to the phase's
 * end
 * @param detectedAt when a worker found its entry lapsed
 */
public record TruncatedDrain(String workerId, String host, @Nullable String version, List<String> jobIds,
		Instant lastSeen, Instant stopBy, Duration shortfall, Instant detectedAt) {
}
