package io.gracefulworker.core;

import java.time.Instant;
import java.util.List;

import io.gracefulworker.WorkerState;
import org.jspecify.annotations.Nullable;

/**
 * What one worker tells the rest of the fleet about itself, published at start, at each state
 * change and at each heartbeat, and gone a few heartbeats after the worker stops telling.
 *
 * @param workerId the worker's id
 * @param host the host or pod name
 * @param version the application's version, if known
 * @param state the worker's state
 * @param since when it entered that state
 * @param concurrency how many jobs it runs at once
 * @param running how many jobs it runs now
 * @param jobIds the ids of the jobs it runs (at most {@value #MAX_JOB_IDS})
 * @param drainDeadline when its drain interrupts what still runs, while it drains
 * @param stopBy when its shutdown phase ends, while it drains: the drain needs the pod to live
 * until then
 * @param publishedAt when it last published this
 */
public record FleetEntry(String workerId, String host, @Nullable String version, WorkerState state, Instant since,
		int concurrency, int running, List<String> jobIds, @Nullable Instant drainDeadline, @Nullable Instant stopBy,
		Instant publishedAt) {

	/** The most job ids an entry lists. */
	public static final int MAX_JOB_IDS = 50;

}
