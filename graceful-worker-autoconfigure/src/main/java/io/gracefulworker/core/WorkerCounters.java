package io.gracefulworker.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what a worker has done since it was created, read as {@link WorkerTotals}.
 */
final class WorkerCounters {

	final AtomicLong completed = new AtomicLong();

	final AtomicLong failed = new AtomicLong();

	final AtomicLong retried = new AtomicLong();

	final AtomicLong dead = new AtomicLong();

	final AtomicLong requeued = new AtomicLong();

	final AtomicLong recovered = new AtomicLong();

	final AtomicLong cancelled = new AtomicLong();

	WorkerTotals totals() {
		return new WorkerTotals(this.completed.get(), this.failed.get(), this.retried.get(), this.dead.get(),
				this.requeued.get(), this.recovered.get(), this.cancelled.get());
	}

}
