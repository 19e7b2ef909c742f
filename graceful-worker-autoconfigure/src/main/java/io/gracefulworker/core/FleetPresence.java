package io.gracefulworker.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * This worker's entry in the fleet registry: published at start, at each state change and at
 * each heartbeat, lapsing after three heartbeats unless renewed, and removed at a clean stop. A
 * publish that fails is logged at debug and made again at the next heartbeat: the registry is
 * for seeing the fleet, and never holds a job back. The writes of state changes go through a
 * thread of their own, so that neither a stop nor a drain waits on a silent Redis.
 */
final class FleetPresence {

	private static final Log logger = LogFactory.getLog(FleetPresence.class);

	private final WorkerParts parts;

	private final String host;

	private volatile @Nullable String version;

	private final ExecutorService writes = Executors
		.newSingleThreadExecutor(new CustomizableThreadFactory("gw-fleet-") {

			@Override
			public Thread newThread(Runnable runnable) {
				Thread thread = super.newThread(runnable);
				thread.setDaemon(true);
				return thread;
			}

		});

	private volatile WorkerListener listener = WorkerListener.NONE;

	private volatile boolean left;

	FleetPresence(WorkerParts parts) {
		this.parts = parts;
		this.host = host();
	}

	/**
	 * Publishes the entry on the fleet's own thread, in the order of the calls.
	 */
	void publishSoon() {
		this.writes.execute(this::publish);
	}

	/**
	 * Removes the entry after the publishes asked for before, waiting for it at most the given
	 * time.
	 * @param wait how long to wait
	 */
	void leave(Duration wait) {
		Future<?> left = this.writes.submit(this::remove);
		try {
			left.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.debug("Worker " + this.parts.settings().id() + " did not remove its fleet entry in time", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void setVersion(@Nullable String version) {
		this.version = version;
	}

	/**
	 * Publishes the entry now, unless the worker has left the fleet. One write at a time, so
	 * that a publish in flight when the worker leaves cannot land after its removal and lapse
	 * as a drain cut short.
	 */
	synchronized void publish() {
		if (this.left) {
			return;
		}
		WorkerSettings settings = this.parts.settings();
		WorkerStateMachine state = this.parts.state();
		List<String> jobIds = this.parts.slots()
			.executions()
			.stream()
			.map((execution) -> execution.job.id())
			.limit(FleetEntry.MAX_JOB_IDS)
			.toList();
		FleetEntry entry = new FleetEntry(settings.id(), this.host, this.version, state.state(), state.since(),
				settings.concurrency(), this.parts.slots().executions().size(), jobIds,
				this.parts.drain().deadline().orElse(null), this.parts.drain().stopBy().orElse(null), Instant.now());
		try {
			this.parts.queue().publish(entry, lapse()).forEach(this::report);
		}
		catch (RuntimeException ex) {
			logger.debug("Worker " + settings.id() + " could not publish its fleet entry", ex);
		}
	}

	/**
	 * Reports a drain cut short, once for the whole fleet: the publish that found the entry
	 * lapsed removed it in the same step.
	 */
	private void report(TruncatedDrain truncated) {
		long seconds = (truncated.shortfall().toMillis() + 999) / 1000;
		logger.warn("Worker " + truncated.workerId() + " (" + truncated.host() + ") vanished while it drained, "
				+ truncated.shortfall().toMillis() + " ms before its shutdown phase would have ended: its platform"
				+ " killed it early. The " + truncated.jobIds().size() + " jobs it held " + truncated.jobIds()
				+ " run again when their leases expire. Raise terminationGracePeriodSeconds (or the platform's grace"
				+ " period) by at least " + seconds + " s");
		try {
			this.listener.truncatedDrain(truncated);
		}
		catch (RuntimeException ex) {
			logger.debug("Worker listener failed", ex);
		}
	}

	void setListener(WorkerListener listener) {
		this.listener = listener;
	}

	/**
	 * Lets a worker that starts again publish its entry.
	 */
	void rejoin() {
		this.left = false;
	}

	private synchronized void remove() {
		this.left = true;
		try {
			this.parts.queue().leave(this.parts.settings().id());
		}
		catch (RuntimeException ex) {
			logger.debug("Worker " + this.parts.settings().id() + " could not remove its fleet entry", ex);
		}
	}


	private Duration lapse() {
		return this.parts.settings().heartbeatInterval().multipliedBy(3);
	}

	private static String host() {
		String pod = System.getenv("HOSTNAME");
		if (pod != null && !pod.isBlank()) {
			return pod;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

}
