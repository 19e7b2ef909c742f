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
 * job returns, and Redis sees one round trip for many completions. There is no added delay: a
 * lone completion is written at once.
 */
final class JobCompleter {

	private static final Log logger = LogFactory.getLog(JobCompleter.class);

	private static final int MAX_BATCH = 500;

	private final JobQueue queue;

	private final Duration retryFor;

	private final BiConsumer<JobExecution, Boolean> written;

	private final BlockingQueue<JobExecution> pending = new LinkedBlockingQueue<>();

	private final Object outstandingLock = new Object();

	private int outstanding;

	private volatile boolean running;

	private @Nullable Thread thread;

	/**
	 * Creates a completer.
	 * @param queue the job queue
	 * @param retryFor how long to retry a batch when Redis does not answer
	 * @param written called for each job once its completion was accepted ({@code true}) or
	 * refused or could not be written ({@code false})
	 */
	JobCompleter(JobQueue queue, Duration retryFor, BiConsumer<JobExecution, Boolean> written) {
		this.queue = queue;
		this.retryFor = retryFor;
		this.written = written;
	}

	void start() {
		this.running = true;
		Thread completer = new Thread(this::run, "gw-completer");
		completer.setDaemon(true);
		this.thread = completer;
		completer.start();
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
		Map<String, Map<ClaimedJob, @Nullable String>> byQueue = new HashMap<>();
		Map<String, JobExecution> byId = new HashMap<>();
		for (JobExecution execution : batch) {
			JobRecord record = execution.record;
			byQueue.computeIfAbsent(execution.job.queue(), (name) -> new LinkedHashMap<>())
				.put(execution.job, (record != null) ? record.idempotencyKey() : null);
			byId.put(execution.job.id(), execution);
		}
		byQueue.forEach((name, jobs) -> {
			Set<String> refused = writeWithRetry(name, jobs);
			for (ClaimedJob job : jobs.keySet()) {
				this.written.accept(byId.get(job.id()), refused != null && !refused.contains(job.id()));
			}
		});
	}

	private @Nullable Set<String> writeWithRetry(String name, Map<ClaimedJob, @Nullable String> jobs) {
		return RedisRetry.call(this.retryFor, () -> this.queue.completeAll(name, jobs),
				(ex) -> logger.warn("Could not reach Redis to record " + jobs.size() + " completions in queue '" + name
						+ "' (" + ex.getMessage() + "); their leases will expire and the jobs will run again"));
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

}
