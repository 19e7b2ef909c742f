package io.gracefulworker.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes the completions of finished jobs in batches, one script per queue for whatever finished
 * while the previous write was in flight: a job's thread (and its slot) is free as soon as the
 * job returns, and the store sees one call for many completions. There is no added delay: a
 * lone completion is written at once.
 */
final class JobCompleter {

	private static final Log logger = LogFactory.getLog(JobCompleter.class);

	private static final int MAX_BATCH = 500;

	private final JobQueue queue;

	private final Duration retryFor;

	private final StoreContact store;

	private final BiConsumer<JobExecution, Completion> written;

	private final String workerId;

	private final BlockingQueue<JobExecution> pending = new LinkedBlockingQueue<>();

	private final Object outstandingLock = new Object();

	private int outstanding;

	private volatile boolean running;

	private @Nullable Thread thread;

	/**
	 * Creates a completer.
	 * @param queue the job queue
	 * @param retryFor how long to retry a batch when the store does not answer
	 * @param store the worker's contact with the store
	 * @param written called for each job once its completion was accepted, refused (its lease
	 * was lost) or could not be written (the store did not answer)
	 * @param workerId the worker, recorded with each kept outcome
	 */
	JobCompleter(JobQueue queue, Duration retryFor, StoreContact store, BiConsumer<JobExecution, Completion> written,
			String workerId) {
		this.workerId = workerId;
		this.queue = queue;
		this.retryFor = retryFor;
		this.store = store;
		this.written = written;
	}

	void start() {
		this.running = true;
		this.thread = WorkerThreads.start("completer", this::run);
	}

	void submit(JobExecution execution) {
		synchronized (this.outstandingLock) {
			this.outstanding++;
		}
		this.pending.add(execution);
	}

	/**
	 * Waits until every submitted completion was written or given up.
	 * @param deadlineNanos the {@link System#nanoTime()} to give up waiting at
	 * @return whether nothing is outstanding
	 */
	boolean flush(long deadlineNanos) {
		synchronized (this.outstandingLock) {
			while (this.outstanding > 0) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.outstandingLock, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	void stop() {
		this.running = false;
		Thread completer = this.thread;
		if (completer != null) {
			completer.interrupt();
		}
	}

	private void run() {
		List<JobExecution> batch = new ArrayList<>();
		while (this.running || !this.pending.isEmpty()) {
			try {
				JobExecution first = this.pending.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.pending.drainTo(batch, MAX_BATCH - 1);
				write(batch);
			}
			catch (InterruptedException ex) {
				if (this.running) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			finally {
				done(batch.size());
				batch.clear();
			}
		}
	}

	private void write(List<JobExecution> batch) {
		Map<String, Map<String, JobExecution>> byQueue = new HashMap<>();
		for (JobExecution execution : batch) {
			byQueue.computeIfAbsent(execution.job.queue(), (name) -> new LinkedHashMap<>())
				.put(execution.job.id(), execution);
		}
		byQueue.forEach((name, executions) -> {
			List<FinishedJob> jobs = executions.values()
				.stream()
				.map((execution) -> new FinishedJob(execution.job, execution.startedAt, this.workerId))
				.toList();
			Set<String> refused = this.store.retry(this.retryFor, () -> this.queue.complete(name, jobs),
					(ex) -> logger.warn("Could not reach the job store to record " + jobs.size()
							+ " completions in queue '" + name + "' (" + ex.getMessage()
							+ "); their leases will expire and the jobs will run again"));
			executions.forEach((id, execution) -> this.written.accept(execution, (refused == null) ? Completion.UNWRITTEN
					: refused.contains(id) ? Completion.REFUSED : Completion.ACCEPTED));
		});
	}

	private void done(int count) {
		if (count == 0) {
			return;
		}
		synchronized (this.outstandingLock) {
			this.outstanding -= count;
			this.outstandingLock.notifyAll();
		}
	}

	/**
	 * What became of a completion.
	 */
	enum Completion {

		/** Written: the job is done. */
		ACCEPTED,

		/** Refused: the job's lease was lost, and another worker may run it. */
		REFUSED,

		/** Not written: the store did not answer; the lease expires and the job runs again. */
		UNWRITTEN

	}

}
