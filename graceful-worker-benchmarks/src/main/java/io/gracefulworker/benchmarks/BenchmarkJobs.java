package io.gracefulworker.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.gracefulworker.Job;

/**
 * The jobs the benchmarks run.
 */
public class BenchmarkJobs {

	final Queue<Long> pickupMicros = new ConcurrentLinkedQueue<>();

	@Job(name = "bench.noop", queue = "bench")
	public void noop() {
	}

	@Job(name = "bench.pickup", queue = "bench")
	public void pickup(long enqueuedAtMicros) {
		this.pickupMicros.add(nowMicros() - enqueuedAtMicros);
	}

	@Job(name = "bench.sleep", queue = "bench")
	public void sleep(long millis) throws InterruptedException {
		Thread.sleep(millis);
	}

	static long nowMicros() {
		return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
	}

}
