package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * The worker: claims jobs from a {@link JobQueue}, runs them with bounded concurrency, renews
 * their leases, recovers the jobs of dead workers, and on {@link #stop(Runnable)} drains within
 * the shutdown phase: running jobs may finish until the drain deadline, then whatever has not
 * returned is interrupted and put back in its queue without counting an attempt. This class is
 * the lifecycle; the parts that do the work are built by {@link WorkerRun} on each start.
 */
public class GracefulWorker implements Worker, WorkerView, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(GracefulWorker.class);

	private static final Duration FALLBACK_PHASE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration LEAVE_WAIT = Duration.ofMillis(500);

	private final JobRegistry registry;

	private final JobCodec codec;

	private final Backoff retries;

	private final Supplier<Duration> shutdownTimeout;

	private final Function<String, Object> beans;

	private final WorkerParts parts;

	private final FleetPresence fleet;

	private WorkerListener listener = WorkerListener.NONE;

	private JobObservation observation = JobObservation.NONE;

	private @Nullable WorkerRun run;

	public GracefulWorker(JobQueue queue, JobRegistry registry, JobCodec codec, Backoff retries,
			WorkerSettings settings, Supplier<Duration> shutdownTimeout, Function<String, Object> beans,
			@Nullable ApplicationEventPublisher events) {
		this.registry = registry;
		this.codec = codec;
		this.retries = retries;
		this.shutdownTimeout = shutdownTimeout;
		this.beans = beans;
		WorkerSignal signal = new WorkerSignal();
		this.parts = new WorkerParts(settings, queue, signal, new WorkerStateMachine(this, events, signal),
				new WorkerSlots(settings.concurrency(), signal), new StoreContact(settings.id()), new WorkerCounters(),
				new CurrentDrain());
		this.fleet = new FleetPresence(this.parts);
	}

	/**
	 * Sets the application version this worker shows in the fleet registry.
	 * @param version the version, or {@code null} if not known
	 */
	public void setApplicationVersion(@Nullable String version) {
		this.fleet.setVersion(version);
	}

	public void setListener(WorkerListener listener) {
		this.listener = listener;
		this.fleet.setListener(listener);
	}

	public void setObservation(JobObservation observation) {
		this.observation = observation;
	}

	public WorkerSettings settings() {
		return this.parts.settings();
	}

	@Override
	public String id() {
		return this.parts.settings().id();
	}

	@Override
	public WorkerState state() {
		return this.parts.state().state();
	}

	@Override
	public Instant since() {
		return this.parts.state().since();
	}

	@Override
	public int concurrency() {
		return this.parts.settings().concurrency();
	}

	@Override
	public Set<String> queues() {
		return this.parts.settings().queues().keySet();
	}

	@Override
	public List<ActiveJob> activeJobs() {
		return this.parts.slots().describe();
	}

	@Override
	public WorkerTotals totals() {
		return this.parts.counters().totals();
	}

	@Override
	public Optional<DrainSnapshot> drain() {
		return this.parts.drain().snapshot();
	}

	@Override
	public Duration sinceLastStoreAnswer() {
		return this.parts.store().sinceLastAnswer();
	}

	@Override
	public int getPhase() {
		return this.parts.settings().phase();
	}

	@Override
	public boolean isRunning() {
		return this.parts.state().isActive();
	}

	@Override
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		// Fails the start, rather than a later stop, when the reserve does not fit in the phase.
		DrainBudget budget = budget(this.shutdownTimeout.get());
		this.parts.state().moveTo(WorkerState.STARTING);
		this.parts.drain().reset();
		this.parts.signal().clearWake();
		WorkerRun started = new WorkerRun(this.parts, budget, this.registry, this.codec, this.retries, this.beans,
				this.listener, this.observation, this.fleet);
		started.prepare();
		this.run = started;
		this.parts.state().moveTo(WorkerState.RUNNING);
		this.fleet.rejoin();
		this.fleet.publishSoon();
		started.dispatch();
		WorkerSettings settings = this.parts.settings();
		logger.info("Worker " + id() + " started: concurrency " + settings.concurrency() + ", queues "
				+ settings.queues().keySet() + ", lease " + settings.leaseDuration().toMillis() + " ms, "
				+ (started.virtualThreads() ? "virtual" : "platform") + " threads");
	}

	@Override
	public boolean pause() {
		boolean paused = this.parts.state().moveTo(WorkerState.PAUSED, WorkerState.RUNNING);
		// The dispatcher withdraws the worker's registrations for hand-offs.
		this.parts.signal().wake();
		this.fleet.publishSoon();
		return paused;
	}

	@Override
	public boolean resume() {
		boolean running = this.parts.state().moveTo(WorkerState.RUNNING, WorkerState.PAUSED);
		this.parts.signal().wake();
		this.fleet.publishSoon();
		return running;
	}

	@Override
	public void stop() {
		stop(this.shutdownTimeout.get());
	}

	@Override
	public boolean stop(Duration timeout) {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Starts the drain and returns at once; the callback runs when the worker has stopped,
	 * before the shutdown phase timeout. Never throws.
	 */
	@Override
	public void stop(Runnable callback) {
		Drain started;
		WorkerRun current;
		synchronized (this) {
			Drain draining = this.parts.drain().get();
			if (this.parts.state().is(WorkerState.DRAINING) && draining != null) {
				draining.addCallback(callback);
				return;
			}
			current = this.run;
			if (!isRunning() || current == null) {
				callback.run();
				return;
			}
			try {
				started = new Drain(budget(phaseTimeout()), this.parts.slots(), current.outcomes(), id(),
						this.listener);
				started.addCallback(callback);
				this.parts.drain().begin(started);
				this.parts.state().moveTo(WorkerState.DRAINING);
			}
			catch (RuntimeException ex) {
				logger.error("Worker " + id() + " could not start draining", ex);
				callback.run();
				return;
			}
		}
		Collection<JobExecution> running = this.parts.slots().executions();
		started.logStart(running.size(), current.outcomes()
			.durations()
			.outlastingTheWindow(running.stream().map(JobExecution::name).distinct().toList()));
		this.parts.slots().executions().forEach(JobExecution::stopping);
		WorkerThreads.start("drain", () -> drain(started, current));
	}

	private void drain(Drain drain, WorkerRun current) {
		boolean deadlineReached = false;
		// Every second while draining, so that a drain cut short is seen to within a second.
		this.fleet.publishSoon();
		current.publishEverySecond(this.fleet::publish);
		try {
			deadlineReached = drain.awaitJobs();
		}
		catch (RuntimeException ex) {
			logger.error("Worker " + id() + " drain failed", ex);
		}
		finally {
			if (!current.flush(drain.lastWriteNanos())) {
				logger.warn("Worker " + id() + " could not record every completion before the shutdown phase ends;"
						+ " those jobs will run again when their leases expire");
			}
			current.close(drain.interruptGrace());
			drain.stopped();
			synchronized (this) {
				// Under the lock stop(Runnable) checks the state with, so a callback is either added
				// before the callbacks run or run at once.
				this.parts.state().moveTo(WorkerState.STOPPED);
			}
			// Within the phase: a drain that Redis no longer answers still calls back in time.
			this.fleet.leave(Duration.ofNanos(Math.max(0, Math.min(LEAVE_WAIT.toNanos(),
					drain.lastWriteNanos() - System.nanoTime()))));
			Duration took = drain.elapsed();
			this.listener.drained(deadlineReached, took);
			logger.info(drain.summary(deadlineReached));
			drain.callBack();
		}
	}

	private Duration phaseTimeout() {
		try {
			return this.shutdownTimeout.get();
		}
		catch (RuntimeException ex) {
			return FALLBACK_PHASE_TIMEOUT;
		}
	}

	private DrainBudget budget(Duration phaseTimeout) {
		return DrainBudget.of(phaseTimeout, this.parts.settings().requeueReserve());
	}

}
