package io.gracefulworker.core;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The worker's job slots: the executions that hold one now, those kept for claims in flight and
 * hand-offs on their way, how many are free, and waiting until none is held.
 */
final class WorkerSlots {

	private final int capacity;

	private final WorkerSignal signal;

	private final Map<String, JobExecution> running = new ConcurrentHashMap<>();

	private final AtomicInteger reserved = new AtomicInteger();

	WorkerSlots(int capacity, WorkerSignal signal) {
		this.capacity = capacity;
		this.signal = signal;
	}

	int free() {
		return this.capacity - this.running.size() - this.reserved.get();
	}

	boolean isFull() {
		return free() <= 0;
	}

	/**
	 * Keeps a slot for a job handed over and still on its way.
	 */
	void reserve() {
		this.reserved.incrementAndGet();
	}

	/**
	 * Keeps up to {@code max} free slots for a claim in flight, so that a job handed over
	 * meanwhile finds them taken.
	 * @param max the most to keep
	 * @return how many were kept
	 */
	synchronized int reserveFree(int max) {
		int kept = Math.max(0, Math.min(max, free()));
		this.reserved.addAndGet(kept);
		return kept;
	}

	/**
	 * Gives back a slot kept for a job handed over: it arrived, or will not.
	 */
	void unreserve() {
		unreserve(1);
	}

	/**
	 * Gives back kept slots.
	 * @param count how many
	 */
	void unreserve(int count) {
		this.reserved.addAndGet(-count);
		this.signal.changed();
	}

	boolean isEmpty() {
		return this.running.isEmpty();
	}

	/**
	 * Puts an execution in a slot.
	 * @param execution the execution
	 * @return whether a slot was free for it, as one kept for it is not
	 */
	synchronized boolean occupy(JobExecution execution) {
		boolean fits = free() > 0;
		this.running.put(execution.job.id(), execution);
		return fits;
	}

	void release(JobExecution execution) {
		this.running.remove(execution.job.id(), execution);
		this.signal.changed();
	}

	@Nullable JobExecution get(String id) {
		return this.running.get(id);
	}

	Collection<JobExecution> executions() {
		return List.copyOf(this.running.values());
	}

	List<ActiveJob> describe() {
		return this.running.values()
			.stream()
			.map(JobExecution::describe)
			.sorted(Comparator.comparing(ActiveJob::startedAt))
			.toList();
	}

	/**
	 * Waits until no slot is held.
	 * @param deadlineNanos the {@link System#nanoTime()} to give up at
	 * @return whether every slot is free
	 */
	boolean awaitIdle(long deadlineNanos) {
		return this.signal.awaitUntil(this::isEmpty, deadlineNanos);
	}

}
