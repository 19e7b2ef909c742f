package io.gracefulworker.actuate;

import java.time.Duration;

import io.gracefulworker.core.QueueStats;
import org.jspecify.annotations.Nullable;

/**
 * Counts of one queue's jobs, in the {@link WorkerEndpoint}.
 */
public final class QueueDescriptor {

	private final QueueStats stats;

	QueueDescriptor(QueueStats stats) {
		this.stats = stats;
	}

	public long getReady() {
		return this.stats.ready();
	}

	public long getScheduled() {
		return this.stats.scheduled();
	}

	public long getLeased() {
		return this.stats.leased();
	}

	public long getDead() {
		return this.stats.dead();
	}

	public long getConsumers() {
		return this.stats.consumers();
	}

	/**
	 * Returns how many of the queue's jobs ever succeeded; its throughput is how fast this grows.
	 * @return the count since the queue's keys were created
	 */
	public long getSucceeded() {
		return this.stats.succeeded();
	}

	public @Nullable Duration getOldestReadyAge() {
		return this.stats.oldestReadyAge();
	}

}
