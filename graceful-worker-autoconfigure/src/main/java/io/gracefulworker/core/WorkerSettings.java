package io.gracefulworker.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * How a {@link GracefulWorker} runs: its identity, concurrency, queues and timings.
 */
public final class WorkerSettings {

	private String id = WorkerIds.generate();

	private int concurrency = 10;

	private Map<String, Integer> queues = Map.of("default", 1);

	private Duration leaseDuration = Duration.ofSeconds(30);

	private @Nullable Duration heartbeatInterval;

	private Duration pollInterval = Duration.ofSeconds(1);

	private Duration recoveryInterval = Duration.ofSeconds(5);

	private int maxRecoveries = 3;

	private Duration unknownJobRetryDelay = Duration.ofSeconds(10);

	private Duration unknownJobTimeout = Duration.ofMinutes(15);

	private @Nullable Duration requeueReserve;

	private int phase = SmartLifecycle.DEFAULT_PHASE;

	private boolean virtualThreads;

	public String id() {
		return this.id;
	}

	public WorkerSettings id(String id) {
		Assert.hasText(id, "'id' must not be empty");
		this.id = id;
		return this;
	}

	public int concurrency() {
		return this.concurrency;
	}

	public WorkerSettings concurrency(int concurrency) {
		this.concurrency = concurrency;
		return this;
	}

	/**
	 * Returns the queues to consume with their weights.
	 * @return queue names to weights
	 */
	public Map<String, Integer> queues() {
		return this.queues;
	}

	public WorkerSettings queues(Map<String, Integer> queues) {
		this.queues = new LinkedHashMap<>(queues);
		return this;
	}

	public Duration leaseDuration() {
		return this.leaseDuration;
	}

	public WorkerSettings leaseDuration(Duration leaseDuration) {
		this.leaseDuration = leaseDuration;
		return this;
	}

	/**
	 * Returns how often leases are renewed: the configured interval, or a third of the lease.
	 * @return the heartbeat interval
	 */
	public Duration heartbeatInterval() {
		return (this.heartbeatInterval != null) ? this.heartbeatInterval : this.leaseDuration.dividedBy(3);
	}

	public WorkerSettings heartbeatInterval(@Nullable Duration heartbeatInterval) {
		this.heartbeatInterval = heartbeatInterval;
		return this;
	}

	public Duration pollInterval() {
		return this.pollInterval;
	}

	public WorkerSettings pollInterval(Duration pollInterval) {
		this.pollInterval = pollInterval;
		return this;
	}

	public Duration recoveryInterval() {
		return this.recoveryInterval;
	}

	public WorkerSettings recoveryInterval(Duration recoveryInterval) {
		this.recoveryInterval = recoveryInterval;
		return this;
	}

	public int maxRecoveries() {
		return this.maxRecoveries;
	}

	public WorkerSettings maxRecoveries(int maxRecoveries) {
		this.maxRecoveries = maxRecoveries;
		return this;
	}

	public Duration unknownJobRetryDelay() {
		return this.unknownJobRetryDelay;
	}

	public WorkerSettings unknownJobRetryDelay(Duration unknownJobRetryDelay) {
		this.unknownJobRetryDelay = unknownJobRetryDelay;
		return this;
	}

	public Duration unknownJobTimeout() {
		return this.unknownJobTimeout;
	}

	public WorkerSettings unknownJobTimeout(Duration unknownJobTimeout) {
		this.unknownJobTimeout = unknownJobTimeout;
		return this;
	}

	public @Nullable Duration requeueReserve() {
		return this.requeueReserve;
	}

	public WorkerSettings requeueReserve(@Nullable Duration requeueReserve) {
		this.requeueReserve = requeueReserve;
		return this;
	}

	public int phase() {
		return this.phase;
	}

	public WorkerSettings phase(int phase) {
		this.phase = phase;
		return this;
	}

	public boolean virtualThreads() {
		return this.virtualThreads;
	}

	public WorkerSettings virtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
		return this;
	}

}
