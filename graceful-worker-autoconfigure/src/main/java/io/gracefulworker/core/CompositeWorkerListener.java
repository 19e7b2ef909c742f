package io.gracefulworker.core;

import java.time.Duration;
import java.util.List;

/**
 * A {@link WorkerListener} that passes each event to several listeners in order.
 */
public class CompositeWorkerListener implements WorkerListener {

	private final List<WorkerListener> listeners;

	public CompositeWorkerListener(List<WorkerListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	/**
	 * Returns one listener for the given ones.
	 * @param listeners the listeners
	 * @return {@link WorkerListener#NONE}, the single listener, or a composite
	 */
	public static WorkerListener of(List<WorkerListener> listeners) {
		if (listeners.isEmpty()) {
			return NONE;
		}
		return (listeners.size() == 1) ? listeners.get(0) : new CompositeWorkerListener(listeners);
	}

	@Override
	public void enqueued(String job, String queue) {
		this.listeners.forEach((listener) -> listener.enqueued(job, queue));
	}

	@Override
	public void afterCommitStoreFailed(String job, String queue, String outcome) {
		this.listeners.forEach((listener) -> listener.afterCommitStoreFailed(job, queue, outcome));
	}

	@Override
	public void executed(String job, String queue, JobOutcome outcome, Duration duration) {
		this.listeners.forEach((listener) -> listener.executed(job, queue, outcome, duration));
	}

	@Override
	public void handedOver(String queue) {
		this.listeners.forEach((listener) -> listener.handedOver(queue));
	}

	@Override
	public void recovered(String queue, int count) {
		this.listeners.forEach((listener) -> listener.recovered(queue, count));
	}

	@Override
	public void trimmed(String queue, int succeeded, int dead, long deadLeft) {
		this.listeners.forEach((listener) -> listener.trimmed(queue, succeeded, dead, deadLeft));
	}

	@Override
	public void truncatedDrain(TruncatedDrain truncated) {
		this.listeners.forEach((listener) -> listener.truncatedDrain(truncated));
	}

	@Override
	public void drainedJob(String job, DrainOutcome outcome) {
		this.listeners.forEach((listener) -> listener.drainedJob(job, outcome));
	}

	@Override
	public void recurringFired(String job, int fired, int missed, int overlapping) {
		this.listeners.forEach((listener) -> listener.recurringFired(job, fired, missed, overlapping));
	}

	@Override
	public void drained(boolean deadlineReached, Duration duration) {
		this.listeners.forEach((listener) -> listener.drained(deadlineReached, duration));
	}

}
