package io.gracefulworker.core;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The parts of a worker that live from one start to the following stop, and their threads: the
 * dispatcher, the job runner and its threads, the outcome recorder with its completer, the
 * lease keeper and the wake-up subscription.
 */
final class WorkerRun {

	private final OutcomeRecorder outcomes;

	private final JobDispatcher dispatcher;

	private final WakeUps wakeUps;

	private final LeaseKeeper leases;

	private final WorkerThreads threads;

	private final WorkerThreads.JobThreads jobThreads;

	private final ScheduledExecutorService maintenance;

	WorkerRun(WorkerParts parts, DrainBudget budget, JobRegistry registry, JobCodec codec, Backoff retries,
			Function<String, Object> beans, WorkerListener listener, JobObservation observation, FleetPresence fleet) {
		WorkerSettings settings = parts.settings();
		JobQueue queue = parts.queue();
		this.threads = new WorkerThreads(settings.virtualThreads());
		this.outcomes = new OutcomeRecorder(queue, retries, settings, parts.store(), parts.counters(), parts.drain(),
				listener, new JobDurations(budget));
		this.jobThreads = this.threads.jobThreads(settings.concurrency());
		JobRunner runner = new JobRunner(registry, codec, beans, observation, parts.slots(), parts.drain(),
				new JobCheckpoints(codec, queue), this.outcomes, this.jobThreads);
		HandOffs handOffs = new HandOffs(settings, parts.slots());
		this.dispatcher = new JobDispatcher(queue, settings, parts.slots(), parts.state(), parts.signal(),
				parts.store(), runner, handOffs);
		this.wakeUps = new WakeUps(queue, settings, parts.state(), parts.signal(), parts.slots(), handOffs, runner, listener);
		this.leases = new LeaseKeeper(queue, settings, parts.slots(), parts.store(), parts.counters(), listener,
				this.wakeUps::ensureSubscribed, fleet);
		// Two threads, so that a recovery pass that waits on a silent store never delays a heartbeat.
		this.maintenance = this.threads.scheduler("maintenance", 2);
	}

	/**
	 * Starts everything but the dispatcher, which starts once the worker runs.
	 */
	void prepare() {
		this.leases.start(this.maintenance);
		this.maintenance.scheduleWithFixedDelay(this.outcomes.failures()::flush, 1, 1, TimeUnit.SECONDS);
		this.outcomes.completer().start();
		this.wakeUps.start();
	}

	/**
	 * Runs a task every second until the run closes (a draining worker's fleet entry).
	 * @param task the task
	 */
	void publishEverySecond(Runnable task) {
		this.maintenance.scheduleWithFixedDelay(task, 1, 1, TimeUnit.SECONDS);
	}

	void dispatch() {
		this.dispatcher.start();
	}

	OutcomeRecorder outcomes() {
		return this.outcomes;
	}

	boolean virtualThreads() {
		return this.threads.virtual();
	}

	/**
	 * Waits for outstanding completions, at most until the given time.
	 * @param deadlineNanos the {@link System#nanoTime()} to give up at
	 * @return whether every completion was written or given up
	 */
	boolean flush(long deadlineNanos) {
		return this.outcomes.completer().flush(deadlineNanos);
	}

	/**
	 * Ends the run's threads: the dispatcher once its claim in flight returned, then heartbeats
	 * and recovery, the job threads, the completer and the wake-up subscription.
	 * @param dispatcherWait how long to wait for a claim in flight
	 */
	void close(Duration dispatcherWait) {
		this.dispatcher.join(dispatcherWait);
		this.maintenance.shutdownNow();
		this.jobThreads.shutdownNow();
		this.outcomes.completer().stop();
		this.wakeUps.stop();
	}

}
