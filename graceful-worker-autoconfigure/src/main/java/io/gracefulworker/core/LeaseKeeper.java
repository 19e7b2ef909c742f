package io.gracefulworker.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps leases: renews the leases of the jobs this worker runs every heartbeat interval (while
 * it drains too, and publishes its fleet entry then), and on every recovery interval moves jobs whose lease expired, because their
 * worker died, back to their queue.
 */
final class LeaseKeeper {

	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	private final JobQueue queue;

	private final WorkerSettings settings;

	private final WorkerSlots slots;

	private final StoreContact store;

	private final WorkerCounters counters;

	private final WorkerListener listener;

	private final Runnable eachRecovery;

	private final FleetPresence fleet;

	LeaseKeeper(JobQueue queue, WorkerSettings settings, WorkerSlots slots, StoreContact store,
			WorkerCounters counters, WorkerListener listener, Runnable eachRecovery, FleetPresence fleet) {
		this.fleet = fleet;
		this.queue = queue;
		this.settings = settings;
		this.slots = slots;
		this.store = store;
		this.counters = counters;
		this.listener = listener;
		this.eachRecovery = eachRecovery;
	}

	void start(ScheduledExecutorService scheduler) {
		long heartbeat = this.settings.heartbeatInterval().toMillis();
		scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
		long recovery = this.settings.recoveryInterval().toMillis();
		scheduler.scheduleWithFixedDelay(this::recover, 0, recovery, TimeUnit.MILLISECONDS);
	}

	void heartbeat() {
		this.fleet.publish();
		Map<String, List<ClaimedJob>> byQueue = new HashMap<>();
		for (JobExecution execution : this.slots.executions()) {
			if (!execution.leaseLost) {
				byQueue.computeIfAbsent(execution.job.queue(), (name) -> new ArrayList<>()).add(execution.job);
			}
		}
		byQueue.forEach((name, jobs) -> {
			try {
				Set<String> lost = this.store.call(() -> this.queue.heartbeat(name, jobs, this.settings.leaseDuration()));
				// A cancel whose message was missed (a reconnecting subscription) arrives here.
				this.queue.cancelRequests(name, jobs).forEach((id, interrupt) -> {
					JobExecution execution = this.slots.get(id);
					if (execution != null) {
						execution.requestCancel(interrupt);
					}
				});
				for (String id : lost) {
					JobExecution execution = this.slots.get(id);
					if (execution != null) {
						execution.leaseLost = true;
						logger.warn("Worker " + this.settings.id() + " lost the lease of job " + id
								+ "; another worker may run it, and this execution's outcome will be refused");
					}
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Worker " + this.settings.id() + " could not renew " + jobs.size() + " leases in queue '"
						+ name + "'", ex);
			}
		});
	}

	void recover() {
		this.eachRecovery.run();
		Duration consuming = this.settings.recoveryInterval().multipliedBy(3);
		for (String name : this.settings.queues().keySet()) {
			try {
				this.queue.consume(name, this.settings.id(), consuming);
				RecoverResult result = this.store
					.call(() -> this.queue.recover(name, this.settings.maxRecoveries()));
				if (result.recovered() > 0 || result.dead() > 0) {
					this.counters.recovered.addAndGet(result.recovered());
					this.listener.recovered(name, result.recovered());
					logger.info("Worker " + this.settings.id() + " recovered " + result.recovered()
							+ " jobs with expired leases in queue '" + name + "'" + ((result.dead() > 0)
									? "; " + result.dead() + " moved to the dead set as poison pills" : ""));
				}
			}
			catch (RuntimeException ex) {
				// The store does not answer (StoreContact said so): the other queues would not either.
				logger.debug("Recovery in queue '" + name + "' failed", ex);
				return;
			}
			trim(name);
		}
	}

	/**
	 * Removes ended jobs past their retention; every worker of a queue does, so a trim that
	 * fails is done by the next pass or another worker.
	 */
	private void trim(String name) {
		try {
			TrimResult trimmed = this.store.call(() -> this.queue.trim(name));
			if (trimmed.finished() > 0 || trimmed.dead() > 0 || trimmed.deadLeft() >= 0) {
				this.listener.trimmed(name, trimmed.finished(), trimmed.dead(), trimmed.deadLeft());
			}
			if (trimmed.dead() > 0) {
				logger.info("Worker " + this.settings.id() + " removed " + trimmed.dead() + " dead jobs of queue '" + name
						+ "' past their retention (graceful-worker.retention.dead and dead-max); " + trimmed.deadLeft()
						+ " are left");
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Trimming queue '" + name + "' failed", ex);
		}
	}

}
