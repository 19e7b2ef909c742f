package io.gracefulworker.core;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * One execution of a claimed job on this worker: its thread, its record once read, and whether
 * its outcome has been settled in Redis (by the job's thread or by the drain, never both).
 */
final class JobExecution {

	final ClaimedJob job;

	final Instant startedAt = Instant.now();

	final List<Runnable> stoppingCallbacks = new CopyOnWriteArrayList<>();

	private final AtomicBoolean settled = new AtomicBoolean();

	volatile @Nullable JobRecord record;

	volatile boolean abandoned;

	volatile boolean leaseLost;

	private @Nullable Thread thread;

	private boolean done;

	JobExecution(ClaimedJob job) {
		this.job = job;
	}

	/**
	 * Claims the right to write this execution's outcome.
	 * @return whether the caller is first
	 */
	boolean settle() {
		return this.settled.compareAndSet(false, true);
	}

	synchronized void begin(Thread thread) {
		this.thread = thread;
	}

	synchronized void end() {
		this.done = true;
		this.thread = null;
	}

	/**
	 * Interrupts the job's thread if it still runs this execution (pooled threads move on).
	 */
	synchronized void interrupt() {
		if (!this.done && this.thread != null) {
			this.thread.interrupt();
		}
	}

	ActiveJob describe() {
		JobRecord current = this.record;
		return new ActiveJob(this.job.id(), (current != null) ? current.name() : "?", this.job.queue(),
				(current != null) ? current.attempt() : 0, this.startedAt);
	}

}
