package io.gracefulworker.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes the completions of finished jobs in batches, one script per queue for whatever finished
 * while the previous write was in flight: a job's thread (and its slot) is free as soon as the
 * job returns, and the store sees one call for many completions. There is no added delay: a
 * lone completion is written at once, unless the dispatcher claims as fast as jobs finish, whose
 * next claim then writes it (within {@link PendingCompletions#CARRY_WAIT_NANOS}).
 */
final class JobCompleter {

	private static final Log logger = LogFactory.getLog(JobCompleter.class);

	private static final int MAX_BATCH = 500;

	private final JobQueue queue;

	private final Duration retryFor;

	private final StoreContact store;

	private final BiConsumer<JobExecution, Completion> written;

	private final String workerId;

	private final PendingCompletions pending = new PendingCompletions();

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
		this.pending.add(execution);
	}

	/**
	 * Waits until every submitted completion was written or given up.
	 * @param deadlineNanos the {@link System#nanoTime()} to give up waiting at
	 * @return whether nothing is outstanding
	 */
	boolean flush(long deadlineNanos) {
		return this.pending.awaitNoneOutstanding(deadlineNanos);
	}

	void stop() {
		this.running = false;
		Thread completer = this.thread;
		if (completer != null) {
			completer.interrupt();
		}
	}

	/**
	 * Says whether the dispatcher's claims take the completions of their queue (it claims as
	 * soon as a slot is free, and the queue had jobs for every slot).
	 * @param carried whether they do
	 */
	void carry(boolean carried) {
		this.pending.carry(carried);
	}

	/**
	 * Takes the completions of a queue that wait to be written, for a claim to write them.
	 * @param queue the queue
	 * @return the completions, perhaps none
	 */
	Carried takeFor(String queue) {
		return new Carried(this.pending.takeFor(queue, MAX_BATCH));
	}

	private void run() {
		while (this.running || !this.pending.isEmpty()) {
			List<JobExecution> batch = List.of();
			try {
				batch = this.pending.awaitDue(MAX_BATCH, TimeUnit.MILLISECONDS.toNanos(100));
				if (!batch.isEmpty()) {
					write(batch);
				}
			}
			catch (InterruptedException ex) {
				if (this.running) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			finally {
				this.pending.done(batch.size());
			}
		}
	}

	private void write(List<JobExecution> batch) {
		Map<String, List<JobExecution>> byQueue = new HashMap<>();
		for (JobExecution execution : batch) {
			byQueue.computeIfAbsent(execution.job.queue(), (name) -> new ArrayList<>()).add(execution);
		}
		byQueue.forEach((name, executions) -> {
			Map<String, JobExecution> byId = byId(executions);
			List<FinishedJob> jobs = finished(byId.values());
			Set<String> refused = this.store.retry(this.retryFor, () -> this.queue.complete(name, jobs),
					(ex) -> logger.warn("Could not reach the job store to record " + jobs.size()
							+ " completions in queue '" + name + "' (" + ex.getMessage()
							+ "); their leases will expire and the jobs will run again"));
			byId.forEach((id, execution) -> this.written.accept(execution, (refused == null) ? Completion.UNWRITTEN
					: refused.contains(id) ? Completion.REFUSED : Completion.ACCEPTED));
		});
	}

	/**
	 * The executions by job id, the last of each id: a job's id runs once at a time.
	 */
	private static Map<String, JobExecution> byId(List<JobExecution> executions) {
		Map<String, JobExecution> byId = new LinkedHashMap<>();
		for (JobExecution execution : executions) {
			byId.put(execution.job.id(), execution);
		}
		return byId;
	}

	private List<FinishedJob> finished(Collection<JobExecution> executions) {
		List<FinishedJob> jobs = new ArrayList<>(executions.size());
		for (JobExecution execution : executions) {
			jobs.add(new FinishedJob(execution.job, execution.startedAt, this.workerId));
		}
		return jobs;
	}

	/**
	 * Completions a claim takes to write with it: each is reported written once the claim
	 * returned, or given back to the completer when the store did not answer it.
	 */
	final class Carried {

		private final List<JobExecution> taken;

		private final Map<String, JobExecution> byId;

		private boolean settled;

		private Carried(List<JobExecution> taken) {
			this.taken = taken;
			this.byId = byId(taken);
		}

		boolean isEmpty() {
			return this.byId.isEmpty();
		}

		List<FinishedJob> jobs() {
			return finished(this.byId.values());
		}

		/**
		 * Reports each completion written: refused when its id is among the refused.
		 * @param refused the ids whose completion was refused
		 */
		void written(Set<String> refused) {
			this.settled = true;
			try {
				this.byId.forEach((id, execution) -> JobCompleter.this.written.accept(execution,
						refused.contains(id) ? Completion.REFUSED : Completion.ACCEPTED));
			}
			finally {
				JobCompleter.this.pending.done(this.taken.size());
			}
		}

		/**
		 * Gives the completions back to the completer, which writes them with its retries.
		 */
		void giveBack() {
			if (!this.settled) {
				this.settled = true;
				JobCompleter.this.pending.giveBack(this.taken);
			}
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
