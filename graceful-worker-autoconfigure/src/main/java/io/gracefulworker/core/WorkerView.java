package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;

/**
 * A read-only view of a worker, for its endpoint, health and meters.
 */
public interface WorkerView {

	/**
	 * Returns the worker's id.
	 * @return the id
	 */
	String id();

	/**
	 * Returns the worker's state.
	 * @return the state
	 */
	WorkerState state();

	/**
	 * Returns when the worker entered its state.
	 * @return the time of the last transition
	 */
	Instant since();

	/**
	 * Returns how many jobs the worker runs at once.
	 * @return the concurrency, 0 if unknown
	 */
	int concurrency();

	/**
	 * Returns the queues the worker consumes.
	 * @return the queue names
	 */
	Set<String> queues();

	/**
	 * Returns the jobs the worker runs now, longest running first.
	 * @return the running jobs
	 */
	List<ActiveJob> activeJobs();

	/**
	 * Returns what the worker has done since it was created.
	 * @return the totals
	 */
	WorkerTotals totals();

	/**
	 * Returns the current or last drain.
	 * @return the drain, or empty if the worker never drained
	 */
	Optional<DrainSnapshot> drain();

	/**
	 * Returns how long ago the worker's job store last answered it.
	 * @return the time since the last answer
	 */
	Duration sinceLastStoreAnswer();

	/**
	 * Returns a view of any worker: the worker itself if it is a view, else one that shows its
	 * state and nothing it cannot know.
	 * @param worker the worker
	 * @return the view
	 */
	static WorkerView of(Worker worker) {
		return (worker instanceof WorkerView view) ? view : new StateOnlyWorkerView(worker);
	}

}
