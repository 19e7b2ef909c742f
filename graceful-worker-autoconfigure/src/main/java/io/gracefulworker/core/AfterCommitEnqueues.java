package io.gracefulworker.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Holds the jobs enqueued inside an active Spring transaction until it commits, and drops them
 * if it rolls back, so that a job never runs before the data it reads is committed. After the
 * commit the jobs are stored on the committing thread; if the store does not take them they are
 * retried on a thread of their own until the retry window ends, then logged by id and name and
 * counted as not stored: never lost in silence.
 */
final class AfterCommitEnqueues {

	private static final Log logger = LogFactory.getLog(AfterCommitEnqueues.class);

	private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	private final Duration retryFor;

	private final Supplier<WorkerListener> listener;

	AfterCommitEnqueues(Duration retryFor, Supplier<WorkerListener> listener) {
		this.retryFor = retryFor;
		this.listener = listener;
	}

	/**
	 * Returns whether a Spring transaction is active on this thread, with synchronization.
	 * @return whether enqueues can wait for its commit
	 */
	static boolean inTransaction() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.isActualTransactionActive();
	}

	/**
	 * Defers storing jobs to the commit of the current transaction.
	 * @param jobs the jobs
	 * @param store stores them, throwing if the store did not take them
	 */
	void defer(List<NewJob> jobs, Consumer<List<NewJob>> store) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				storeOrRetry(jobs, store);
			}

		});
	}

	private void storeOrRetry(List<NewJob> jobs, Consumer<List<NewJob>> store) {
		try {
			store.accept(jobs);
		}
		catch (RuntimeException ex) {
			logger.warn(describe(jobs) + " could not be stored after their transaction committed (" + ex.getMessage()
					+ "); retrying for " + this.retryFor.toMillis() + " ms");
			counted(jobs, "retried");
			long deadline = System.nanoTime() + this.retryFor.toNanos();
			WorkerThreads.start("after-commit", () -> retry(jobs, store, deadline));
		}
	}

	private void retry(List<NewJob> jobs, Consumer<List<NewJob>> store, long deadline) {
		Duration backoff = FIRST_BACKOFF;
		RuntimeException last = null;
		while (System.nanoTime() < deadline) {
			try {
				Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			try {
				store.accept(jobs);
				logger.info(describe(jobs) + " stored after their transaction committed, once the job store answered");
				return;
			}
			catch (RuntimeException ex) {
				last = ex;
			}
			backoff = (backoff.compareTo(MAX_BACKOFF) < 0) ? backoff.multipliedBy(2) : MAX_BACKOFF;
		}
		logger.error(describe(jobs) + " were NOT stored: their transaction committed, but the job store did not take"
				+ " them within " + this.retryFor.toMillis() + " ms (graceful-worker.enqueue.after-commit-retry)"
				+ ((last != null) ? " (" + last.getMessage() + ")" : "") + "; enqueue them again");
		counted(jobs, "lost");
	}

	private void counted(List<NewJob> jobs, String outcome) {
		for (NewJob job : jobs) {
			try {
				this.listener.get().afterCommitStoreFailed(job.name(), job.queue(), outcome);
			}
			catch (RuntimeException ex) {
				logger.debug("Worker listener failed", ex);
			}
		}
	}

	private static String describe(List<NewJob> jobs) {
		StringBuilder line = new StringBuilder("Jobs ");
		for (int i = 0; i < jobs.size() && i < 10; i++) {
			line.append((i > 0) ? ", " : "").append(jobs.get(i).id()).append(" (").append(jobs.get(i).name()).append(')');
		}
		if (jobs.size() > 10) {
			line.append(" and ").append(jobs.size() - 10).append(" more");
		}
		return line.toString();
	}

}
