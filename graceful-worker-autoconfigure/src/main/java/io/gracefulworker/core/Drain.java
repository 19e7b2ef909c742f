package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One drain of the worker, within one {@link DrainBudget}: running jobs may finish until the
 * deadline; then what still runs is interrupted, given a short grace, and requeued without
 * counting an attempt. It counts what finished and what was requeued, and calls back the
 * lifecycle when the worker has stopped.
 */
final class Drain {

	private static final Log logger = LogFactory.getLog(Drain.class);

	private final DrainBudget budget;

	private final WorkerSlots slots;

	private final OutcomeRecorder outcomes;

	private final String workerId;

	private final Instant startedAt = Instant.now();

	private final long startNanos = System.nanoTime();

	private final AtomicInteger finished = new AtomicInteger();

	private final AtomicInteger gaveBack = new AtomicInteger();

	private final AtomicInteger interrupted = new AtomicInteger();

	private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

	private volatile @Nullable Instant stoppedAt;

	Drain(DrainBudget budget, WorkerSlots slots, OutcomeRecorder outcomes, String workerId) {
		this.budget = budget;
		this.slots = slots;
		this.outcomes = outcomes;
		this.workerId = workerId;
	}

	Instant deadline() {
		return this.startedAt.plus(this.budget.window());
	}

	/**
	 * Returns when the shutdown phase, and so the drain, ends at the latest.
	 * @return the phase's end
	 */
	Instant stopBy() {
		return this.startedAt.plus(this.budget.phaseTimeout());
	}

	/**
	 * Returns when the last write to the store must end: the phase's end less the margin.
	 * @return a {@link System#nanoTime()}
	 */
	long lastWriteNanos() {
		return this.startNanos + this.budget.phaseTimeout().minus(this.budget.margin()).toNanos();
	}

	Duration interruptGrace() {
		return this.budget.interruptGrace();
	}

	void addCallback(Runnable callback) {
		this.callbacks.add(callback);
	}

	void jobFinished() {
		this.finished.incrementAndGet();
	}

	/**
	 * Counts a job put back during the drain.
	 * @param atDeadline whether it was interrupted at the deadline, rather than given back by
	 * itself (or claimed while the drain began)
	 */
	void jobRequeued(boolean atDeadline) {
		(atDeadline ? this.interrupted : this.gaveBack).incrementAndGet();
	}

	/**
	 * Logs that the drain began: its deadline and the jobs running.
	 * @param running how many jobs run
	 */
	void logStart(int running) {
		logger.info("Worker " + this.workerId + " draining: " + running + " jobs running, deadline " + deadline()
				+ " (in " + this.budget.window().toMillis() + " ms), then " + this.budget.reserve().toMillis()
				+ " ms to interrupt and requeue");
	}

	/**
	 * Returns the drain's summary line: what finished, what gave itself back, what was
	 * interrupted at the deadline.
	 * @param deadlineReached whether jobs still ran at the deadline
	 * @return the summary
	 */
	String summary(boolean deadlineReached) {
		int gave = this.gaveBack.get();
		int cut = this.interrupted.get();
		StringBuilder summary = new StringBuilder("Worker ").append(this.workerId)
			.append(" stopped in ")
			.append(elapsed().toMillis())
			.append(" ms: ")
			.append(this.finished.get())
			.append(" jobs finished during the drain, ")
			.append(gave + cut)
			.append(" requeued");
		if (gave > 0 && cut > 0) {
			summary.append(" (").append(gave).append(" gave themselves back, ").append(cut)
				.append(" interrupted at the deadline)");
		}
		else if (gave > 0) {
			summary.append(" (gave themselves back)");
		}
		else if (cut > 0) {
			summary.append(" (interrupted at the deadline)");
		}
		else if (deadlineReached) {
			summary.append("; jobs still ran at the deadline and were interrupted");
		}
		return summary.toString();
	}

	Duration elapsed() {
		return Duration.ofNanos(System.nanoTime() - this.startNanos);
	}

	/**
	 * Waits for running jobs until the deadline, then interrupts and requeues what still runs.
	 * @return whether the deadline was reached with jobs running
	 */
	boolean awaitJobs() {
		if (this.slots.awaitIdle(this.startNanos + this.budget.window().toNanos())) {
			return false;
		}
		Collection<JobExecution> late = this.slots.executions();
		logger.info("Worker " + this.workerId + " drain deadline reached with " + late.size()
				+ " jobs running; interrupting them");
		for (JobExecution execution : late) {
			execution.abandoned = true;
			execution.interrupt();
		}
		this.slots.awaitIdle(System.nanoTime() + this.budget.interruptGrace().toNanos());
		requeueAbandoned();
		return true;
	}

	/**
	 * Requeues the executions that did not return, on a helper thread so that a store that does
	 * not answer (a client may queue commands while it reconnects) cannot hold the drain past the
	 * phase timeout.
	 */
	private void requeueAbandoned() {
		Collection<JobExecution> late = this.slots.executions();
		AtomicInteger pending = new AtomicInteger(late.size());
		CountDownLatch done = new CountDownLatch(1);
		WorkerThreads.start("requeue", () -> {
			for (JobExecution execution : late) {
				try {
					if (execution.settle()) {
						this.outcomes.requeueOnce(execution, "shutdown");
					}
					pending.decrementAndGet();
				}
				catch (RuntimeException ex) {
					logger.debug("Requeue of job " + execution.job.id() + " failed", ex);
				}
			}
			done.countDown();
		});
		try {
			done.await(Math.max(0, lastWriteNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (pending.get() > 0) {
			logger.warn("Worker " + this.workerId + " could not reach its job store to requeue " + pending.get()
					+ " jobs before the shutdown phase ends; their leases expire and another worker takes them");
		}
	}

	/**
	 * Marks the drain as ended.
	 */
	void stopped() {
		this.stoppedAt = Instant.now();
	}

	/**
	 * Calls back whoever waits for the worker to stop.
	 */
	void callBack() {
		for (Runnable callback : this.callbacks) {
			try {
				callback.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Stop callback failed", ex);
			}
		}
	}

	DrainSnapshot snapshot() {
		return new DrainSnapshot(this.startedAt, deadline(), this.finished.get(),
				this.gaveBack.get() + this.interrupted.get(), this.interrupted.get(), this.stoppedAt);
	}

}
