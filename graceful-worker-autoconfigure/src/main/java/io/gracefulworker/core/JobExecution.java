package io.gracefulworker.core;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a claimed job on this worker: its thread, its stopping callbacks, and whether
 * its outcome has been settled in the store (by the job's thread or by the drain, never both).
 */
final class JobExecution {

	private static final Log logger = LogFactory.getLog(JobExecution.class);

	final ClaimedJob job;

	final Instant startedAt = Instant.now();

	private final List<Runnable> stoppingCallbacks = new CopyOnWriteArrayList<>();

	private final AtomicBoolean settled = new AtomicBoolean();


	volatile boolean abandoned;

	/** Whether it still ran after the interrupt's grace, so that the drain requeued it anyway. */
	volatile boolean ignoredInterrupt;

	volatile boolean leaseLost;

	private volatile boolean cancelRequested;

	private @Nullable Thread thread;

	private boolean done;

	JobExecution(ClaimedJob job) {
		this.job = job;
	}

	/**
	 * Returns the job's name, or {@code unknown} if its record could not be read.
	 * @return the name
	 */
	String name() {
		JobRecord record = this.job.record();
		return (record != null) ? record.name() : "unknown";
	}

	/**
	 * Claims the right to write this execution's outcome.
	 * @return whether the caller is first
	 */
	boolean settle() {
		return this.settled.compareAndSet(false, true);
	}

	synchronized void begin(Thread current) {
		this.thread = current;
	}

	synchronized void end() {
		this.done = true;
		this.thread = null;
	}

	/**
	 * Tells the job it is cancelled, and interrupts it when asked; a request that the heartbeat
	 * reads again interrupts no more.
	 * @param interrupt whether to interrupt its thread
	 */
	void requestCancel(boolean interrupt) {
		boolean first = !this.cancelRequested;
		this.cancelRequested = true;
		if (interrupt && first) {
			interrupt();
		}
	}

	boolean cancelRequested() {
		return this.cancelRequested;
	}

	/**
	 * Interrupts the job's thread if it still runs this execution (pooled threads move on).
	 */
	synchronized void interrupt() {
		if (!this.done && this.thread != null) {
			this.thread.interrupt();
		}
	}

	/**
	 * Adds a callback for when the worker stops; runs it at once if it already stops.
	 * @param callback the callback
	 * @param stopping whether the worker stops already, asked after the callback was added so
	 * that the drain or this call runs it
	 */
	void onStopping(Runnable callback, BooleanSupplier stopping) {
		this.stoppingCallbacks.add(callback);
		if (stopping.getAsBoolean() && this.stoppingCallbacks.remove(callback)) {
			callback.run();
		}
	}

	/**
	 * Runs each stopping callback once.
	 */
	void stopping() {
		for (Runnable callback : this.stoppingCallbacks) {
			if (this.stoppingCallbacks.remove(callback)) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Stopping callback of job " + this.job.id() + " failed", ex);
				}
			}
		}
	}

	ActiveJob describe() {
		JobRecord record = this.job.record();
		return new ActiveJob(this.job.id(), (record != null) ? record.name() : "?", this.job.queue(),
				(record != null) ? record.attempt() : 0, this.startedAt);
	}

}
