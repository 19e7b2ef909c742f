package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;

/**
 * The {@link WorkerView} of a {@link Worker} that is not one: its id and state, no jobs, no
 * drain, and no silence from the store.
 */
final class StateOnlyWorkerView implements WorkerView {

	private static final WorkerTotals NONE = new WorkerTotals(0, 0, 0, 0, 0, 0, 0);

	private final Worker worker;

	StateOnlyWorkerView(Worker worker) {
		this.worker = worker;
	}

	@Override
	public String id() {
		return this.worker.id();
	}

	@Override
	public WorkerState state() {
		return this.worker.state();
	}

	@Override
	public Instant since() {
		return this.worker.since();
	}

	@Override
	public int concurrency() {
		return 0;
	}

	@Override
	public Set<String> queues() {
		return Set.of();
	}

	@Override
	public List<ActiveJob> activeJobs() {
		return List.of();
	}

	@Override
	public WorkerTotals totals() {
		return NONE;
	}

	@Override
	public Optional<DrainSnapshot> drain() {
		return Optional.empty();
	}

	@Override
	public Duration sinceLastStoreAnswer() {
		return Duration.ZERO;
	}

}
