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

import io.gracefulworker.WorkerState;
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

	void publish() {
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
				this.parts.drain().deadline().orElse(null), Instant.now());
		try {
			this.parts.queue().publish(entry, lapse());
		}
		catch (RuntimeException ex) {
			logger.debug("Worker " + settings.id() + " could not publish its fleet entry", ex);
		}
	}

	private void remove() {
		try {
			this.parts.queue().leave(this.parts.settings().id());
		}
		catch (RuntimeException ex) {
			logger.debug("Worker " + this.parts.settings().id() + " could not remove its fleet entry", ex);
		}
	}

	boolean isStopped() {
		return this.parts.state().is(WorkerState.STOPPED);
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
