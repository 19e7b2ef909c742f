package io.gracefulworker.actuate;

import java.time.Duration;

import io.gracefulworker.WorkerState;
import io.gracefulworker.core.WorkerView;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the worker: UP while running or paused (a pause is an operator's choice, and must not
 * take a web application's traffic away), OUT_OF_SERVICE while starting, draining or stopped,
 * and DOWN when Redis has not answered the worker for a while.
 */
public class WorkerHealthIndicator extends AbstractHealthIndicator {

	private final WorkerView worker;

	private final Duration storeTimeout;

	/**
	 * Creates an indicator.
	 * @param worker the worker
	 * @param storeTimeout how long the job store may stay silent before the worker is DOWN
	 */
	public WorkerHealthIndicator(WorkerView worker, Duration storeTimeout) {
		super("Worker health check failed");
		this.worker = worker;
		this.storeTimeout = storeTimeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		WorkerState state = this.worker.state();
		Duration silent = this.worker.sinceLastStoreAnswer();
		boolean active = state == WorkerState.RUNNING || state == WorkerState.PAUSED;
		if (active && silent.compareTo(this.storeTimeout) > 0) {
			builder.down().withDetail("redis", "no answer for " + silent.toMillis() + " ms");
		}
		else if (active) {
			builder.up();
		}
		else {
			builder.outOfService();
		}
		builder.withDetail("state", state).withDetail("activeJobs", this.worker.activeJobs().size());
	}

}
