package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobRequest;
import io.gracefulworker.autoconfigure.TestJobs.Execution;

import static org.awaitility.Awaitility.await;

/**
 * A thread that enqueues {@code test.tick} jobs until closed and keeps the labels of those whose
 * enqueue returned: the jobs a caller was told are stored, which must all run.
 */
final class EnqueueStream implements AutoCloseable {

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final AtomicInteger refused = new AtomicInteger();

	private final AtomicBoolean producing = new AtomicBoolean(true);

	private final Thread producer;

	EnqueueStream(JobClient client) {
		this.producer = new Thread(() -> {
			int sequence = 0;
			while (this.producing.get()) {
				String label = "job-" + ++sequence;
				try {
					client.enqueue(JobRequest.of("test.tick", label));
					this.acknowledged.add(label);
				}
				catch (RuntimeException ex) {
					// refused or not confirmed (JobNotStoredException), or the connection was reset
					this.refused.incrementAndGet();
					// a caller's pace while Redis refuses writes
					LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
				}
			}
		}, "producer");
		this.producer.start();
	}

	int acknowledged() {
		return this.acknowledged.size();
	}

	int refused() {
		return this.refused.get();
	}

	void awaitMoreAcknowledged(int more, Duration timeout) {
		int before = this.acknowledged.size();
		await().atMost(timeout).until(() -> this.acknowledged.size() > before + more);
	}

	/**
	 * Stops enqueuing and waits until every acknowledged job has run.
	 * @param timeout how long to wait
	 */
	void awaitAllAcknowledgedRun(Duration timeout) throws InterruptedException {
		close();
		await().atMost(timeout)
			.until(() -> TestJobs.executions.stream().map(Execution::label).toList().containsAll(this.acknowledged));
	}

	@Override
	public void close() throws InterruptedException {
		this.producing.set(false);
		this.producer.join();
	}

}
