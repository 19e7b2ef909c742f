package io.gracefulworker.actuate;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.QueueStats;
import org.jspecify.annotations.Nullable;

/**
 * The counts of a worker's queues, and the queues that hold ready jobs but have no live
 * consumer, read from the job queue at most once a second however often the endpoint or the
 * meters ask.
 */
public class QueueStatsCache {

	private static final Duration TTL = Duration.ofSeconds(1);

	private final JobQueue queue;

	private final Supplier<? extends Iterable<String>> queues;

	private volatile @Nullable Cached cached;

	/**
	 * Creates a cache.
	 * @param queue the job queue
	 * @param queues the names of the queues to count
	 */
	public QueueStatsCache(JobQueue queue, Supplier<? extends Iterable<String>> queues) {
		this.queue = queue;
		this.queues = queues;
	}

	/**
	 * Returns the counts of each queue.
	 * @return queue names to their counts
	 * @throws RuntimeException if the store does not answer
	 */
	public Map<String, QueueStats> stats() {
		return read().stats;
	}

	/**
	 * Returns the queues, other than the worker's, that hold ready jobs no live worker consumes.
	 * @return queue names to their ready jobs
	 * @throws RuntimeException if the store does not answer
	 */
	public Map<String, Long> unconsumed() {
		return read().unconsumed;
	}

	private Cached read() {
		Cached current = this.cached;
		if (current != null && System.nanoTime() - current.readAt < TTL.toNanos()) {
			return current;
		}
		Map<String, QueueStats> stats = new LinkedHashMap<>();
		for (String name : this.queues.get()) {
			stats.put(name, this.queue.stats(name));
		}
		Map<String, Long> unconsumed = new TreeMap<>();
		for (String name : this.queue.queues()) {
			if (!stats.containsKey(name)) {
				QueueStats other = this.queue.stats(name);
				if (other.ready() > 0 && other.consumers() == 0) {
					unconsumed.put(name, other.ready());
				}
			}
		}
		Cached read = new Cached(System.nanoTime(), Collections.unmodifiableMap(stats),
				Collections.unmodifiableMap(unconsumed));
		this.cached = read;
		return read;
	}

	private record Cached(long readAt, Map<String, QueueStats> stats, Map<String, Long> unconsumed) {
	}

}
