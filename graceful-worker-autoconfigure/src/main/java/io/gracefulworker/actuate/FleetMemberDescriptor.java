package io.gracefulworker.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.gracefulworker.WorkerState;
import io.gracefulworker.core.FleetEntry;
import org.jspecify.annotations.Nullable;

/**
 * One live worker of the fleet, as its entry in the registry says, in the {@link WorkerEndpoint}.
 *
 * @param workerId the worker's id
 * @param host the host or pod name
 * @param version the application's version, if known
 * @param state the worker's state
 * @param since when it entered that state
 * @param concurrency how many jobs it runs at once
 * @param runningJobs how many jobs it runs
 * @param jobIds the ids of the jobs it runs (at most 50)
 * @param drainDeadline when its drain ends, while it drains
 * @param drainRemaining how long is left of its drain, while it drains
 * @param lastSeen when it last published its entry
 */
public record FleetMemberDescriptor(String workerId, String host, @Nullable String version, WorkerState state,
		Instant since, int concurrency, int runningJobs, List<String> jobIds, @Nullable Instant drainDeadline,
		@Nullable Duration drainRemaining, Instant lastSeen) {

	static FleetMemberDescriptor of(FleetEntry entry, Instant now) {
		Instant deadline = entry.drainDeadline();
		Duration remaining = (deadline != null) ? Duration.between(now, deadline) : null;
		return new FleetMemberDescriptor(entry.workerId(), entry.host(), entry.version(), entry.state(), entry.since(),
				entry.concurrency(), entry.running(), entry.jobIds(), deadline,
				(remaining != null && remaining.isNegative()) ? Duration.ZERO : remaining, entry.publishedAt());
	}

}
