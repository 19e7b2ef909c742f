package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.gracefulworker.core.RecurringStore.Due;
import io.gracefulworker.core.RecurringStore.DueTicks;
import io.gracefulworker.core.RecurringStore.Fire;
import io.gracefulworker.core.RecurringStore.FireResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Fires the fleet's cron schedules from this worker: it declares this application's schedules,
 * then, until the worker stops, reads the due ticks of each queue it knows on Redis's clock and
 * claims them; a tick another worker claimed first is left to it. It wakes at the earliest
 * pending tick, declares its schedules again every {@link #DECLARE_EVERY} and removes the
 * schedules no worker declares any more.
 */
public class RecurringScheduler implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RecurringScheduler.class);

	/** How often a worker renews its declarations, which are forgotten some time after it stops. */
	static final Duration DECLARE_EVERY = Duration.ofSeconds(10);

	/** How long a declaration holds without its worker in the fleet registry. */
	static final Duration DECLARATION_GRACE = DECLARE_EVERY.multipliedBy(3);

	private static final Duration LONGEST_WAIT = Duration.ofSeconds(1);

	private static final int DUE_PER_CALL = 500;

	private final RecurringStore store;

	private final JobQueue queue;

	private final Supplier<String> workerId;

	private final Supplier<Collection<RecurringSchedule>> schedules;

	private volatile List<RecurringSchedule> declared = List.of();

	private final Supplier<Collection<String>> consumedQueues;

	private final JobRegistry registry;

	private final int phase;

	private WorkerListener listener = WorkerListener.NONE;

	private volatile @Nullable Thread thread;

	private volatile boolean running;

	/**
	 * Creates the scheduler.
	 * @param queue the job queue, whose {@link JobQueue#recurring()} store keeps the schedules
	 * @param registry the jobs this application defines
	 * @param schedules the schedules this application declares, read at start once every bean
	 * (and so every {@code @Recurring} method) is known
	 * @param workerId the id of the worker it fires for
	 * @param consumedQueues the queues that worker consumes, whose schedules it fires too
	 * @param phase the lifecycle phase, the worker's
	 */
	public RecurringScheduler(JobQueue queue, JobRegistry registry, Supplier<Collection<RecurringSchedule>> schedules,
			Supplier<String> workerId, Supplier<Collection<String>> consumedQueues, int phase) {
		RecurringStore recurring = queue.recurring();
		if (recurring == null) {
			throw new IllegalStateException("The job queue keeps no cron schedules");
		}
		this.store = recurring;
		this.queue = queue;
		this.registry = registry;
		this.schedules = schedules;
		this.workerId = workerId;
		this.consumedQueues = consumedQueues;
		this.phase = phase;
	}

	public void setListener(WorkerListener listener) {
		this.listener = listener;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public synchronized void start() {
		if (!this.running) {
			this.declared = List.copyOf(this.schedules.get());
			this.running = true;
			this.thread = WorkerThreads.start("recurring", this::run);
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Thread current = this.thread;
		this.thread = null;
		if (current != null) {
			current.interrupt();
		}
	}

	private void run() {
		long declaredAt = 0;
		while (this.running) {
			Duration wait = LONGEST_WAIT;
			try {
				if (System.nanoTime() - declaredAt >= DECLARE_EVERY.toNanos() || declaredAt == 0) {
					declare();
					prune();
					declaredAt = System.nanoTime();
				}
				for (String name : queues()) {
					Duration untilNext = pass(name);
					if (untilNext.compareTo(wait) < 0) {
						wait = untilNext;
					}
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Recurring pass failed; trying again", ex);
			}
			try {
				Thread.sleep(Math.max(5, wait.toMillis()));
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private Set<String> queues() {
		Set<String> queues = new LinkedHashSet<>(this.consumedQueues.get());
		this.declared.forEach((schedule) -> queues.add(schedule.queue()));
		return queues;
	}

	private void declare() {
		if (this.declared.isEmpty()) {
			return;
		}
		Instant now = this.store.now();
		Map<String, Instant> first = new LinkedHashMap<>();
		for (RecurringSchedule schedule : this.declared) {
			Instant tick = schedule.ticks().after(now);
			if (tick != null) {
				first.put(schedule.job(), tick);
			}
		}
		this.store.declare(this.workerId.get(), this.declared, first);
	}

	private void prune() {
		List<String> live = this.queue.fleet().stream().map(FleetEntry::workerId).toList();
		for (String name : queues()) {
			for (String removed : this.store.prune(name, live, DECLARATION_GRACE)) {
				logger.info("Removed the cron schedule of job '" + removed + "' (queue " + name
						+ "): no live worker declares it any more");
			}
		}
	}

	/**
	 * Fires the due ticks of one queue.
	 * @return how long until its earliest pending tick, by Redis's clock
	 */
	private Duration pass(String name) {
		DueTicks due = this.store.due(name, DUE_PER_CALL);
		if (!due.due().isEmpty()) {
			List<Fire> fires = new ArrayList<>();
			for (Due one : due.due()) {
				fires.add(fire(one, due.now()));
			}
			Map<String, FireResult> results = this.store.fire(name, fires);
			for (Fire fire : fires) {
				FireResult result = results.get(fire.schedule().job());
				if (result != null && result.claimed()) {
					fired(fire, result);
				}
			}
			if (due.due().size() == DUE_PER_CALL) {
				return Duration.ZERO;
			}
		}
		Instant pending = due.earliestPending();
		return (pending != null) ? Duration.between(due.now(), pending) : LONGEST_WAIT;
	}

	private Fire fire(Due due, Instant now) {
		RecurringSchedule schedule = due.schedule();
		CronTicks.Decision decision = schedule.ticks().decide(due.tick(), now, schedule.missedTicks());
		Map<Instant, NewJob> jobs = new LinkedHashMap<>();
		String bean = this.registry.find(schedule.job())
			.map((definition) -> (definition.beanNames().size() > 1) ? definition.beanNames().get(0) : null)
			.orElse(null);
		for (Instant tick : decision.fire()) {
			jobs.put(tick, new NewJob(RecurringJobIds.of(schedule.job(), tick), schedule.job(), schedule.queue(), "[]",
					schedule.maxAttempts(), null, null, null, bean));
		}
		return new Fire(schedule, due.tick(), jobs, decision.next(), decision.skipped());
	}

	private void fired(Fire fire, FireResult result) {
		String job = fire.schedule().job();
		if (fire.skipped() > 0) {
			logger.info("Cron schedule of job '" + job + "' skipped " + fire.skipped()
					+ " ticks missed while no worker ran" + ((result.fired() > 0) ? "; fired once for them" : ""));
		}
		if (result.overlapping() > 0) {
			logger.info("Cron schedule of job '" + job + "' skipped " + result.overlapping()
					+ " ticks: its previous job has not ended (overlap SKIP)");
		}
		try {
			this.listener.recurringFired(job, result.fired(), fire.skipped(), result.overlapping());
		}
		catch (RuntimeException ex) {
			logger.debug("Worker listener failed", ex);
		}
	}

}
