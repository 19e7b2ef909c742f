package io.gracefulworker.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.gracefulworker.JobRequeueException;
import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;
import io.gracefulworker.WorkerStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.ReflectionUtils;

/**
 * The worker: claims jobs from a {@link JobQueue}, runs them with bounded concurrency, renews
 * their leases, recovers the jobs of dead workers, and on {@link #stop(Runnable)} drains within
 * the shutdown phase: running jobs may finish until the drain deadline, then whatever has not
 * returned is interrupted and put back in its queue without counting an attempt.
 */
public class GracefulWorker implements Worker, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(GracefulWorker.class);

	private static final Duration MIN_REQUEUE_RESERVE = Duration.ofSeconds(1);

	private static final Duration MAX_INTERRUPT_GRACE = Duration.ofSeconds(2);

	private static final long MAX_BACKOFF_MS = 5000;

	private static final Duration STATS_TTL = Duration.ofSeconds(1);

	private static final Duration REQUEUE_MARGIN = Duration.ofMillis(250);

	private final JobQueue queue;

	private final JobRegistry registry;

	private final JobCodec codec;

	private final RetryPolicy retryPolicy;

	private final WorkerSettings settings;

	private final Supplier<Duration> shutdownTimeout;

	private final Function<String, Object> beans;

	private final @Nullable ApplicationEventPublisher events;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final Map<String, JobExecution> running = new ConcurrentHashMap<>();

	private final AtomicLong claimSequence = new AtomicLong();

	private final AtomicLong completed = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong retried = new AtomicLong();

	private final AtomicLong dead = new AtomicLong();

	private final AtomicLong requeued = new AtomicLong();

	private final AtomicLong recovered = new AtomicLong();

	private WorkerListener listener = WorkerListener.NONE;

	private JobObservation observation = JobObservation.NONE;

	private volatile WorkerState state = WorkerState.STARTING;

	private volatile @Nullable CachedStats cachedStats;

	private volatile Instant since = Instant.now();

	private volatile boolean stopping;

	private volatile @Nullable Drain drain;

	private volatile long lastRedisSuccess = System.nanoTime();

	private boolean wakeRequested;

	private @Nullable Executor jobExecutor;

	private @Nullable ExecutorService jobPool;

	private @Nullable ScheduledExecutorService maintenance;

	private volatile @Nullable AutoCloseable subscription;

	private @Nullable JobCompleter completer;

	private @Nullable Thread dispatcher;

	public GracefulWorker(JobQueue queue, JobRegistry registry, JobCodec codec, RetryPolicy retryPolicy,
			WorkerSettings settings, Supplier<Duration> shutdownTimeout, Function<String, Object> beans,
			@Nullable ApplicationEventPublisher events) {
		this.queue = queue;
		this.registry = registry;
		this.codec = codec;
		this.retryPolicy = retryPolicy;
		this.settings = settings;
		this.shutdownTimeout = shutdownTimeout;
		this.beans = beans;
		this.events = events;
	}

	public void setListener(WorkerListener listener) {
		this.listener = listener;
	}

	public void setObservation(JobObservation observation) {
		this.observation = observation;
	}

	@Override
	public WorkerState state() {
		return this.state;
	}

	@Override
	public Instant since() {
		return this.since;
	}

	@Override
	public String id() {
		return this.settings.id();
	}

	public WorkerSettings settings() {
		return this.settings;
	}

	public List<ActiveJob> activeJobs() {
		return this.running.values()
			.stream()
			.map(JobExecution::describe)
			.sorted(Comparator.comparing(ActiveJob::startedAt))
			.toList();
	}

	public WorkerTotals totals() {
		return new WorkerTotals(this.completed.get(), this.failed.get(), this.retried.get(), this.dead.get(),
				this.requeued.get(), this.recovered.get());
	}

	/**
	 * Returns the current or last drain.
	 * @return the drain, or empty if the worker never drained
	 */
	public Optional<DrainSnapshot> drain() {
		Drain current = this.drain;
		return (current != null) ? Optional.of(current.snapshot()) : Optional.empty();
	}

	/**
	 * Returns how long ago Redis last answered the worker.
	 * @return the time since the last successful Redis operation
	 */
	public Duration sinceLastRedisSuccess() {
		return Duration.ofNanos(System.nanoTime() - this.lastRedisSuccess);
	}

	/**
	 * Returns the counts of each consumed queue, read from Redis at most once a second.
	 * @return queue names to their counts
	 */
	public Map<String, JobQueue.QueueStats> queueStats() {
		CachedStats cached = this.cachedStats;
		if (cached != null && System.nanoTime() - cached.readAt < STATS_TTL.toNanos()) {
			return cached.stats;
		}
		Map<String, JobQueue.QueueStats> stats = new java.util.LinkedHashMap<>();
		for (String name : this.settings.queues().keySet()) {
			stats.put(name, this.queue.stats(name));
		}
		redisAnswered();
		this.cachedStats = new CachedStats(System.nanoTime(), Map.copyOf(stats));
		return stats;
	}

	boolean isStopping() {
		return this.stopping;
	}

	Optional<Instant> drainDeadline() {
		Drain current = this.drain;
		return (current != null && this.stopping) ? Optional.of(current.deadline) : Optional.empty();
	}

	JobCodec codec() {
		return this.codec;
	}

	JobQueue queue() {
		return this.queue;
	}

	// Lifecycle

	@Override
	public int getPhase() {
		return this.settings.phase();
	}

	@Override
	public boolean isRunning() {
		WorkerState current = this.state;
		return current == WorkerState.RUNNING || current == WorkerState.PAUSED || current == WorkerState.DRAINING;
	}

	@Override
	public void start() {
		this.lock.lock();
		try {
			if (isRunning()) {
				return;
			}
			validate();
			transition(WorkerState.STARTING);
			this.stopping = false;
			this.wakeRequested = false;
			if (this.settings.virtualThreads()) {
				SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("gw-job-");
				executor.setVirtualThreads(true);
				this.jobExecutor = executor;
				this.jobPool = null;
			}
			else {
				CustomizableThreadFactory threads = new CustomizableThreadFactory("gw-job-");
				threads.setDaemon(true);
				this.jobPool = Executors.newFixedThreadPool(this.settings.concurrency(), threads);
				this.jobExecutor = this.jobPool;
			}
			CustomizableThreadFactory maintenanceThreads = new CustomizableThreadFactory("gw-maintenance-");
			maintenanceThreads.setDaemon(true);
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(maintenanceThreads);
			long heartbeat = this.settings.heartbeatInterval().toMillis();
			scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
			long recovery = this.settings.recoveryInterval().toMillis();
			scheduler.scheduleWithFixedDelay(this::recover, 0, recovery, TimeUnit.MILLISECONDS);
			this.maintenance = scheduler;
			JobCompleter jobCompleter = new JobCompleter(this.queue, this.settings.leaseDuration().dividedBy(3),
					this::completionWritten);
			jobCompleter.start();
			this.completer = jobCompleter;
			this.subscription = subscribe();
			Thread thread = new Thread(this::dispatch, "gw-dispatcher");
			thread.setDaemon(true);
			this.dispatcher = thread;
			transition(WorkerState.RUNNING);
			thread.start();
			logger.info("Worker " + id() + " started: concurrency " + this.settings.concurrency() + ", queues "
					+ this.settings.queues().keySet() + ", lease " + this.settings.leaseDuration().toMillis() + " ms, "
					+ (this.settings.virtualThreads() ? "virtual" : "platform") + " threads");
		}
		finally {
			this.lock.unlock();
		}
	}

	private void validate() {
		Duration lease = this.settings.leaseDuration();
		if (this.settings.concurrency() < 1) {
			throw new IllegalStateException(
					"graceful-worker.worker.concurrency must be at least 1, but is " + this.settings.concurrency());
		}
		if (this.settings.queues().isEmpty()) {
			throw new IllegalStateException("graceful-worker.worker.queues must name at least one queue");
		}
		if (lease.compareTo(this.settings.heartbeatInterval().multipliedBy(3)) < 0) {
			throw new IllegalStateException("graceful-worker.worker.lease-duration (" + lease.toMillis()
					+ " ms) must be at least three heartbeats (graceful-worker.worker.heartbeat-interval = "
					+ this.settings.heartbeatInterval().toMillis()
					+ " ms), or a lease would expire between two renewals: raise the lease or lower the interval");
		}
		Duration timeout = this.shutdownTimeout.get();
		Duration reserve = requeueReserve(timeout);
		if (reserve.compareTo(timeout) >= 0) {
			throw new IllegalStateException("graceful-worker.worker.shutdown.requeue-reserve (" + reserve.toMillis()
					+ " ms) must be shorter than the shutdown phase timeout (spring.lifecycle.timeout-per-shutdown-phase = "
					+ timeout.toMillis() + " ms), or no time is left for running jobs to finish: lower the reserve or"
					+ " raise the timeout");
		}
	}

	private Duration requeueReserve(Duration timeout) {
		Duration configured = this.settings.requeueReserve();
		if (configured != null) {
			return configured;
		}
		Duration share = timeout.dividedBy(10);
		Duration reserve = (share.compareTo(MIN_REQUEUE_RESERVE) < 0) ? MIN_REQUEUE_RESERVE : share;
		Duration half = timeout.dividedBy(2);
		return (reserve.compareTo(half) > 0) ? half : reserve;
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
		this.lock.lock();
		try {
			if (this.state == WorkerState.DRAINING && this.drain != null) {
				this.drain.callbacks.add(callback);
				return;
			}
			if (this.state != WorkerState.RUNNING && this.state != WorkerState.PAUSED) {
				callback.run();
				return;
			}
			Duration timeout;
			try {
				timeout = this.shutdownTimeout.get();
			}
			catch (RuntimeException ex) {
				timeout = Duration.ofSeconds(30);
			}
			Duration reserve = requeueReserve(timeout);
			started = new Drain(Instant.now(), System.nanoTime(), timeout.minus(reserve), reserve, timeout);
			started.callbacks.add(callback);
			this.drain = started;
			this.stopping = true;
			transition(WorkerState.DRAINING);
			this.changed.signalAll();
		}
		catch (RuntimeException ex) {
			logger.error("Worker " + id() + " could not start draining", ex);
			callback.run();
			return;
		}
		finally {
			this.lock.unlock();
		}
		for (JobExecution execution : this.running.values()) {
			runStoppingCallbacks(execution);
		}
		Thread drainer = new Thread(() -> drain(started), "gw-drain");
		drainer.setDaemon(true);
		drainer.start();
	}

	private void runStoppingCallbacks(JobExecution execution) {
		for (Runnable callback : execution.stoppingCallbacks) {
			if (execution.stoppingCallbacks.remove(callback)) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Stopping callback of job " + execution.job.id() + " failed", ex);
				}
			}
		}
	}

	private void drain(Drain drain) {
		boolean deadlineReached = false;
		try {
			deadlineReached = !awaitIdle(drain.deadlineNanos);
			if (deadlineReached) {
				Collection<JobExecution> late = new ArrayList<>(this.running.values());
				logger.info("Worker " + id() + " drain deadline reached with " + late.size()
						+ " jobs running; interrupting them");
				for (JobExecution execution : late) {
					execution.abandoned = true;
					execution.interrupt();
				}
				Duration grace = drain.reserve.dividedBy(2);
				awaitIdle(System.nanoTime() + Math.min(grace.toNanos(), MAX_INTERRUPT_GRACE.toNanos()));
				requeueAbandoned(drain);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Worker " + id() + " drain failed", ex);
		}
		finally {
			JobCompleter jobCompleter = this.completer;
			if (jobCompleter != null && !jobCompleter.flush(drain.phaseEndNanos - REQUEUE_MARGIN.toNanos())) {
				logger.warn("Worker " + id() + " could not record every completion before the shutdown phase ends;"
						+ " those jobs will run again when their leases expire");
			}
			shutdownResources();
			Duration took = Duration.ofNanos(System.nanoTime() - drain.startNanos);
			drain.stoppedAt = Instant.now();
			this.lock.lock();
			try {
				transition(WorkerState.STOPPED);
			}
			finally {
				this.lock.unlock();
			}
			this.listener.drained(deadlineReached, took);
			logger.info("Worker " + id() + " stopped in " + took.toMillis() + " ms: " + drain.finished.get()
					+ " jobs finished during the drain, " + drain.requeued.get() + " requeued"
					+ (deadlineReached ? " at the deadline" : ""));
			for (Runnable callback : drain.callbacks) {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.warn("Stop callback failed", ex);
				}
			}
		}
	}

	private boolean awaitIdle(long deadlineNanos) {
		this.lock.lock();
		try {
			while (!this.running.isEmpty()) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				this.changed.awaitNanos(left);
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return this.running.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Requeues the executions that did not return, on a helper thread so that a Redis that does
	 * not answer (the client may queue commands while it reconnects) cannot hold the drain past
	 * the phase timeout.
	 */
	private void requeueAbandoned(Drain drain) {
		List<JobExecution> late = new ArrayList<>(this.running.values());
		AtomicInteger pending = new AtomicInteger(late.size());
		CountDownLatch done = new CountDownLatch(1);
		Thread requeuer = new Thread(() -> {
			for (JobExecution execution : late) {
				try {
					if (execution.settle() && this.queue.requeue(execution.job, "shutdown", Duration.ZERO)) {
						countRequeued(execution);
					}
					pending.decrementAndGet();
				}
				catch (RuntimeException ex) {
					logger.debug("Requeue of job " + execution.job.id() + " failed", ex);
				}
			}
			done.countDown();
		}, "gw-requeue");
		requeuer.setDaemon(true);
		requeuer.start();
		long left = drain.phaseEndNanos - REQUEUE_MARGIN.toNanos() - System.nanoTime();
		try {
			done.await(Math.max(0, left), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (pending.get() > 0) {
			logger.warn("Worker " + id() + " could not reach Redis to requeue " + pending.get()
					+ " jobs before the shutdown phase ends; their leases expire within "
					+ this.settings.leaseDuration().toMillis() + " ms and another worker takes them");
		}
	}

	private void countRequeued(JobExecution execution) {
		executed(execution, JobOutcome.REQUEUED);
		this.requeued.incrementAndGet();
		Drain current = this.drain;
		if (current != null && this.stopping) {
			current.requeued.incrementAndGet();
		}
	}

	private void shutdownResources() {
		Thread thread = this.dispatcher;
		if (thread != null) {
			// Not interrupted: a claim cut short could lease jobs that nobody runs until the
			// lease expires. A claim in flight finishes and its jobs are requeued at launch.
			try {
				thread.join(MAX_INTERRUPT_GRACE.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		ScheduledExecutorService scheduler = this.maintenance;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
		if (this.jobPool != null) {
			this.jobPool.shutdownNow();
		}
		JobCompleter jobCompleter = this.completer;
		if (jobCompleter != null) {
			jobCompleter.stop();
		}
		AutoCloseable handle = this.subscription;
		if (handle != null) {
			try {
				handle.close();
			}
			catch (Exception ex) {
				logger.debug("Could not close the wake-up subscription", ex);
			}
		}
	}

	@Override
	public boolean pause() {
		this.lock.lock();
		try {
			if (this.state == WorkerState.RUNNING) {
				transition(WorkerState.PAUSED);
				this.changed.signalAll();
			}
			return this.state == WorkerState.PAUSED;
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public boolean resume() {
		this.lock.lock();
		try {
			if (this.state == WorkerState.PAUSED) {
				transition(WorkerState.RUNNING);
				this.wakeRequested = true;
				this.changed.signalAll();
			}
			return this.state == WorkerState.RUNNING;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void transition(WorkerState next) {
		WorkerState previous = this.state;
		if (previous == next) {
			return;
		}
		this.state = next;
		this.since = Instant.now();
		if (this.events != null) {
			try {
				this.events.publishEvent(new WorkerStateChangedEvent(this, previous, next));
			}
			catch (RuntimeException ex) {
				logger.debug("Could not publish worker state change", ex);
			}
		}
	}

	// Claiming

	private @Nullable AutoCloseable subscribe() {
		try {
			return this.queue.subscribe((readyQueue) -> {
				if (this.settings.queues().containsKey(readyQueue)) {
					wake();
				}
			});
		}
		catch (RuntimeException ex) {
			logger.warn("Worker " + id() + " could not subscribe to wake-ups (" + ex.getMessage() + "); it polls every "
					+ this.settings.pollInterval().toMillis() + " ms and tries again");
			return null;
		}
	}

	private void wake() {
		this.lock.lock();
		try {
			this.wakeRequested = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void dispatch() {
		long backoff = 0;
		while (true) {
			if (!awaitCapacity()) {
				return;
			}
			int free = this.settings.concurrency() - this.running.size();
			boolean exhausted = true;
			Duration nextDue = null;
			try {
				for (String name : queueOrder()) {
					if (free <= 0) {
						exhausted = false;
						break;
					}
					JobQueue.ClaimResult result = this.queue.claim(name, free, this.settings.leaseDuration(),
							id() + ":" + this.claimSequence.incrementAndGet());
					redisAnswered();
					for (ClaimedJob job : result.jobs()) {
						launch(job);
					}
					if (result.jobs().size() >= free) {
						exhausted = false;
					}
					free -= result.jobs().size();
					if (result.nextDue() != null && (nextDue == null || result.nextDue().compareTo(nextDue) < 0)) {
						nextDue = result.nextDue();
					}
				}
				if (backoff > 0) {
					logger.info("Worker " + id() + " reaches Redis again");
				}
				backoff = 0;
			}
			catch (RuntimeException ex) {
				if (this.state != WorkerState.RUNNING) {
					return;
				}
				if (backoff == 0) {
					logger.warn("Worker " + id() + " cannot claim jobs: " + ex.getMessage() + "; retrying with backoff");
				}
				backoff = Math.min(MAX_BACKOFF_MS, Math.max(100, backoff * 2));
				long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
				awaitWork(Duration.ofMillis(jittered), false);
				continue;
			}
			if (exhausted) {
				Duration wait = this.settings.pollInterval();
				if (nextDue != null && nextDue.compareTo(wait) < 0) {
					wait = nextDue;
				}
				awaitWork(wait, true);
			}
		}
	}

	/**
	 * Waits while paused or while every slot is busy; returns false once the worker no longer
	 * runs, and clears the wake-up flag for the claim that follows.
	 */
	private boolean awaitCapacity() {
		this.lock.lock();
		try {
			while (this.state == WorkerState.PAUSED
					|| (this.state == WorkerState.RUNNING && this.running.size() >= this.settings.concurrency())) {
				this.changed.await();
			}
			this.wakeRequested = false;
			return this.state == WorkerState.RUNNING;
		}
		catch (InterruptedException ex) {
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void awaitWork(Duration timeout, boolean wakeable) {
		long deadline = System.nanoTime() + timeout.toNanos();
		this.lock.lock();
		try {
			while (this.state == WorkerState.RUNNING && !(wakeable && this.wakeRequested)) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return;
				}
				this.changed.awaitNanos(left);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.lock.unlock();
		}
	}

	private List<String> queueOrder() {
		Map<String, Integer> queues = this.settings.queues();
		if (queues.size() == 1) {
			return List.copyOf(queues.keySet());
		}
		// Weighted random order (Efraimidis-Spirakis): a queue of weight w comes first w times as
		// often as a queue of weight 1, and no queue starves.
		Map<String, Double> keys = new HashMap<>();
		queues.forEach((name, weight) -> keys.put(name,
				-Math.log(ThreadLocalRandom.current().nextDouble(Double.MIN_VALUE, 1)) / Math.max(1, weight)));
		return keys.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByValue())
			.map(Map.Entry::getKey)
			.collect(Collectors.toList());
	}

	private void launch(ClaimedJob job) {
		JobExecution execution = new JobExecution(job);
		this.running.put(job.id(), execution);
		if (this.stopping || this.state == WorkerState.STOPPED) {
			// Claimed while the drain began: give it back untouched. A pause lets it run.
			finish(execution, () -> requeue(execution, "shutdown", Duration.ZERO));
			return;
		}
		try {
			this.jobExecutor.execute(() -> run(execution));
		}
		catch (RuntimeException ex) {
			finish(execution, () -> requeue(execution, "shutdown", Duration.ZERO));
		}
	}

	// Running

	private void run(JobExecution execution) {
		execution.begin(Thread.currentThread());
		try {
			execute(execution);
		}
		finally {
			execution.end();
			Thread.interrupted();
			completeExecution(execution);
		}
	}

	private void finish(JobExecution execution, Runnable action) {
		try {
			action.run();
		}
		finally {
			completeExecution(execution);
		}
	}

	private void completeExecution(JobExecution execution) {
		this.lock.lock();
		try {
			this.running.remove(execution.job.id());
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void execute(JobExecution execution) {
		ClaimedJob job = execution.job;
		JobRecord record;
		try {
			record = this.codec.readRecord(job);
		}
		catch (JobPayloadException ex) {
			moveToDead(execution, JobError.of("unreadable", ex.getMessage()));
			return;
		}
		execution.record = record;
		Optional<JobDefinition> found = this.registry.find(record.name());
		if (found.isEmpty()) {
			unknownJob(execution, record);
			return;
		}
		JobDefinition definition = found.get();
		DefaultJobContext context = new DefaultJobContext(this, execution, record);
		Object[] arguments;
		try {
			arguments = this.codec.readArguments(record, definition, context);
		}
		catch (JobPayloadException ex) {
			moveToDead(execution, JobError.of("unreadable", ex.getMessage()));
			return;
		}
		try {
			this.observation.execute(record, () -> invoke(definition, arguments));
		}
		catch (Throwable ex) {
			failed(execution, record, ex);
			return;
		}
		if (execution.settle()) {
			this.completer.submit(execution);
		}
	}

	private void completionWritten(JobExecution execution, boolean accepted) {
		if (accepted) {
			executed(execution, JobOutcome.SUCCESS);
			this.completed.incrementAndGet();
			Drain current = this.drain;
			if (this.stopping && current != null) {
				current.finished.incrementAndGet();
			}
		}
		else {
			logger.warn("Job " + execution.job.id() + " finished, but its completion was refused or could not be"
					+ " written (lease lost or Redis unreachable); another worker may run it again");
		}
	}

	private void invoke(JobDefinition definition, Object[] arguments) throws Throwable {
		Object bean = this.beans.apply(definition.beanName());
		Method method = definition.method();
		ReflectionUtils.makeAccessible(method);
		JobInvocation.expect(method);
		try {
			method.invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
		finally {
			JobInvocation.clear();
		}
	}

	private void failed(JobExecution execution, JobRecord record, Throwable ex) {
		if (ex instanceof JobRequeueException || (this.stopping && (execution.abandoned || isInterruption(ex)))) {
			if (execution.settle()) {
				requeue(execution, this.stopping ? "shutdown" : "requested", Duration.ZERO);
			}
			return;
		}
		if (!execution.settle()) {
			return;
		}
		this.failed.incrementAndGet();
		if (record.attempt() < record.maxAttempts()) {
			Duration delay = this.retryPolicy.delayAfter(record.attempt());
			if (remote(() -> this.queue.fail(execution.job, JobError.of("failed", ex), delay))) {
				executed(execution, JobOutcome.RETRY);
				this.retried.incrementAndGet();
				logger.warn("Job " + record.id() + " (" + record.name() + ") failed attempt " + record.attempt() + " of "
						+ record.maxAttempts() + "; retrying in " + delay.toMillis() + " ms: " + ex);
			}
		}
		else if (remote(() -> this.queue.fail(execution.job, JobError.of("failed", ex), null))) {
			executed(execution, JobOutcome.DEAD);
			this.dead.incrementAndGet();
			logger.error("Job " + record.id() + " (" + record.name() + ") failed its last attempt ("
					+ record.attempt() + " of " + record.maxAttempts() + ") and moved to the dead set", ex);
		}
	}

	private static boolean isInterruption(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (current instanceof InterruptedException) {
				return true;
			}
		}
		return Thread.currentThread().isInterrupted();
	}

	private void unknownJob(JobExecution execution, JobRecord record) {
		if (!execution.settle()) {
			return;
		}
		long unknownFor = (record.unknownSince() != null) ? System.currentTimeMillis() - record.unknownSince() : 0;
		if (unknownFor >= this.settings.unknownJobTimeout().toMillis()) {
			if (remote(() -> this.queue.fail(execution.job, JobError.of("unknown-job", "No worker knew job '"
					+ record.name() + "' for " + this.settings.unknownJobTimeout().toMillis() + " ms"), null))) {
				executed(execution, JobOutcome.DEAD);
				this.dead.incrementAndGet();
				logger.error("Job " + record.id() + " named '" + record.name() + "' moved to the dead set: no worker"
						+ " defines that job");
			}
			return;
		}
		logger.info("Job " + record.id() + " is named '" + record.name() + "', which this worker does not define;"
				+ " giving it back for " + this.settings.unknownJobRetryDelay().toMillis() + " ms");
		requeue(execution, "unknown-job", this.settings.unknownJobRetryDelay());
	}

	private void moveToDead(JobExecution execution, JobError error) {
		if (!execution.settle()) {
			return;
		}
		if (remote(() -> this.queue.fail(execution.job, error, null))) {
			executed(execution, JobOutcome.DEAD);
			this.dead.incrementAndGet();
			logger.error("Job " + execution.job.id() + " cannot be read and moved to the dead set: " + error.message());
		}
	}

	private void requeue(JobExecution execution, String reason, Duration delay) {
		if (remote(() -> this.queue.requeue(execution.job, reason, delay))) {
			countRequeued(execution);
		}
	}

	private void executed(JobExecution execution, JobOutcome outcome) {
		JobRecord record = execution.record;
		try {
			this.listener.executed((record != null) ? record.name() : "unknown", execution.job.queue(), outcome,
					Duration.between(execution.startedAt, Instant.now()));
		}
		catch (RuntimeException ex) {
			logger.debug("Worker listener failed", ex);
		}
	}

	/**
	 * Runs a Redis operation for a job's outcome; if Redis cannot be reached the lease expires
	 * and recovery gives the job to another worker, so the failure is logged, not thrown.
	 */
	private boolean remote(Supplier<Boolean> operation) {
		Boolean result = RedisRetry.call(this.settings.leaseDuration().dividedBy(3), () -> {
			boolean answered = operation.get();
			redisAnswered();
			return answered;
		}, (ex) -> logger.warn("Worker " + id() + " could not reach Redis to record a job's outcome (" + ex.getMessage()
				+ "); its lease will expire and the job will run again"));
		return Boolean.TRUE.equals(result);
	}

	private void redisAnswered() {
		this.lastRedisSuccess = System.nanoTime();
	}

	// Maintenance

	private void heartbeat() {
		Map<String, List<ClaimedJob>> byQueue = new HashMap<>();
		for (JobExecution execution : this.running.values()) {
			if (!execution.leaseLost) {
				byQueue.computeIfAbsent(execution.job.queue(), (name) -> new ArrayList<>()).add(execution.job);
			}
		}
		byQueue.forEach((name, jobs) -> {
			try {
				Set<String> lost = this.queue.heartbeat(name, jobs, this.settings.leaseDuration());
				redisAnswered();
				for (String id : lost) {
					JobExecution execution = this.running.get(id);
					if (execution != null) {
						execution.leaseLost = true;
						logger.warn("Worker " + id() + " lost the lease of job " + id
								+ "; another worker may run it, and this execution's outcome will be refused");
					}
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Worker " + id() + " could not renew " + jobs.size() + " leases in queue '" + name + "': "
						+ ex.getMessage());
			}
		});
	}

	private void recover() {
		if (this.subscription == null && this.state == WorkerState.RUNNING) {
			this.subscription = subscribe();
		}
		for (String name : this.settings.queues().keySet()) {
			try {
				JobQueue.RecoverResult result = this.queue.recover(name, this.settings.maxRecoveries());
				redisAnswered();
				if (result.recovered() > 0 || result.dead() > 0) {
					this.recovered.addAndGet(result.recovered());
					this.listener.recovered(name, result.recovered());
					logger.info("Worker " + id() + " recovered " + result.recovered() + " jobs with expired leases in"
							+ " queue '" + name + "'" + ((result.dead() > 0)
									? "; " + result.dead() + " moved to the dead set as poison pills" : ""));
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Recovery in queue '" + name + "' failed", ex);
			}
		}
	}

	private record CachedStats(long readAt, Map<String, JobQueue.QueueStats> stats) {
	}

	private static final class Drain {

		final Instant startedAt;

		final long startNanos;

		final long deadlineNanos;

		final Instant deadline;

		final Duration reserve;

		final long phaseEndNanos;

		final AtomicInteger finished = new AtomicInteger();

		final AtomicInteger requeued = new AtomicInteger();

		final List<Runnable> callbacks = new java.util.concurrent.CopyOnWriteArrayList<>();

		volatile @Nullable Instant stoppedAt;

		Drain(Instant startedAt, long startNanos, Duration window, Duration reserve, Duration timeout) {
			this.startedAt = startedAt;
			this.startNanos = startNanos;
			this.phaseEndNanos = startNanos + timeout.toNanos();
			this.deadlineNanos = startNanos + window.toNanos();
			this.deadline = startedAt.plus(window);
			this.reserve = reserve;
		}

		DrainSnapshot snapshot() {
			return new DrainSnapshot(this.startedAt, this.deadline, this.finished.get(), this.requeued.get(),
					this.stoppedAt);
		}

	}

}
