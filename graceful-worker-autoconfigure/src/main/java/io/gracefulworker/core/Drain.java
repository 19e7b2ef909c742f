package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
 * counting an attempt. It counts what became of each job ({@link DrainOutcome}), and calls back
 * the lifecycle when the worker has stopped.
 */
final class Drain {

	private static final Log logger = LogFactory.getLog(Drain.class);

	private final DrainBudget budget;

	private final WorkerSlots slots;

	private final OutcomeRecorder outcomes;

	private final String workerId;

	private final Instant startedAt = Instant.now();

	private final long startNanos = System.nanoTime();

	private final WorkerListener listener;

	private final DrainTally tally = new DrainTally();

	private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

	private volatile @Nullable Instant stoppedAt;

	Drain(DrainBudget budget, WorkerSlots slots, OutcomeRecorder outcomes, String workerId, WorkerListener listener) {
		this.budget = budget;
		this.listener = listener;
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

	/**
	 * Counts what became of an execution that ran during the drain, once its outcome was written.
	 * @param execution the execution
	 * @param outcome what became of it
	 */
	void jobEnded(JobExecution execution, DrainOutcome outcome) {
		String job = execution.name();
		this.tally.add(job, outcome);
		try {
			this.listener.drainedJob(job, outcome);
		}
		catch (RuntimeException ex) {
			logger.debug("Worker listener failed", ex);
		}
	}

	/**
	 * Logs that the drain began: its deadline and the jobs running.
	 * @param running how many jobs run
	 * @param outlasting the names of running jobs whose typical run time exceeds the drain
	 * window, with that time
	 */
	void logStart(int running, Map<String, Duration> outlasting) {
		StringBuilder line = new StringBuilder("Worker ").append(this.workerId)
			.append(" draining: ")
			.append(running)
			.append(" jobs running, deadline ")
			.append(deadline())
			.append(" (in ")
			.append(this.budget.window().toMillis())
			.append(" ms), then ")
			.append(this.budget.reserve().toMillis())
			.append(" ms to interrupt and requeue");
		if (!outlasting.isEmpty()) {
			line.append("; running jobs that typically outlast the window: ");
			outlasting.forEach((job, typical) -> line.append(job).append(" (").append(typical.toMillis()).append(" ms) "));
		}
		logger.info(line.toString().stripTrailing());
	}

	/**
	 * Returns the drain's summary line: what finished, what gave itself back, what was
	 * interrupted at the deadline.
	 * @param deadlineReached whether jobs still ran at the deadline
	 * @return the summary
	 */
	String summary(boolean deadlineReached) {
		int gave = this.tally.count(DrainOutcome.GAVE_BACK);
		int cut = interrupted();
		StringBuilder summary = new StringBuilder("Worker ").append(this.workerId)
			.append(" stopped in ")
			.append(elapsed().toMillis())
			.append(" ms: ")
			.append(this.tally.count(DrainOutcome.FINISHED))
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
		String byJob = this.tally.describe();
		if (!byJob.isEmpty()) {
			summary.append(". By job: ").append(byJob);
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
						execution.ignoredInterrupt = true;
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

	/**
	 * Returns the jobs interrupted at the deadline, whether or not they returned.
	 */
	private int interrupted() {
		return this.tally.count(DrainOutcome.INTERRUPTED) + this.tally.count(DrainOutcome.IGNORED_INTERRUPT);
	}

	DrainSnapshot snapshot() {
		int cut = interrupted();
		return new DrainSnapshot(this.startedAt, deadline(), this.tally.count(DrainOutcome.FINISHED),
				this.tally.count(DrainOutcome.GAVE_BACK) + cut, cut, this.stoppedAt, this.tally.byJob());
	}

}
