package io.gracefulworker.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import io.gracefulworker.DeadJobQuery;
import io.gracefulworker.JobRequest;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.DefaultJobOperations;
import io.gracefulworker.core.JobError;
import io.gracefulworker.redis.RedisJobKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The cost of acting on a full dead set: 10,000 dead jobs listed a page at a time, all retried,
 * all deleted, and the Redis commands each took.
 */
final class DeadSetBenchmark {

	private static final int DEAD = 10_000;

	private final RedisUnderTest redis;

	private final String prefix;

	private final BiConsumer<String, Object> figure;

	DeadSetBenchmark(RedisUnderTest redis, String prefix, BiConsumer<String, Object> figure) {
		this.redis = redis;
		this.prefix = prefix;
		this.figure = figure;
	}

	void run() {
		try (WorkerNode node = new WorkerNode(this.redis, this.prefix + "-dead")) {
			RedisJobKeys keys = node.queue.keys(WorkerNode.QUEUE);
			DefaultJobOperations operations = new DefaultJobOperations(node.queue, () -> Set.of(WorkerNode.QUEUE));
			try {
				kill(node, DEAD);
				long start = System.nanoTime();
				int listed = operations.deadJobs(DeadJobQuery.all().page(0, 20)).jobs().size();
				this.figure.accept("dead_list_first_page_ms_of_10k", millis(start) + " (" + listed + " jobs)");
				start = System.nanoTime();
				operations.deadJobs(DeadJobQuery.all().name("bench.other").page(0, 20));
				this.figure.accept("dead_list_filtered_page_ms_of_10k", millis(start));
				Map<String, Long> before = this.redis.callsByCommand();
				start = System.nanoTime();
				int retried = operations.retryDead(DeadJobQuery.all());
				this.figure.accept("dead_retry_all_10k_ms", millis(start) + " (" + retried + " retried, "
						+ (RedisUnderTest.sum(this.redis.callsByCommand(), "") - RedisUnderTest.sum(before, ""))
						+ " Redis commands)");
				kill(node, 0);
				start = System.nanoTime();
				int deleted = operations.deleteDead(DeadJobQuery.all());
				this.figure.accept("dead_delete_all_10k_ms", millis(start) + " (" + deleted + " deleted)");
			}
			finally {
				new StringRedisTemplate(node.connectionFactory).unlink(List.of(keys.jobs(), keys.ready(),
						keys.scheduled(), keys.leases(), keys.owners(), keys.holders(), keys.dead(), keys.finished(), keys.outcomes()));
			}
		}
	}

	/**
	 * Enqueues jobs, then claims and fails every ready job for good.
	 */
	private static void kill(WorkerNode node, int enqueue) {
		List<JobRequest> requests = new ArrayList<>();
		for (int i = 0; i < enqueue; i++) {
			requests.add(JobRequest.of("bench.noop"));
		}
		if (!requests.isEmpty()) {
			node.client.enqueueAll(requests);
		}
		JobError error = JobError.of("failed", new IllegalStateException("benchmark"));
		for (int n = 1;; n++) {
			List<ClaimedJob> claimed = node.queue.claim(WorkerNode.QUEUE, 1000, Duration.ofMinutes(5), "killer:" + n)
				.jobs();
			if (claimed.isEmpty()) {
				return;
			}
			claimed.forEach((job) -> node.queue.fail(job, error, null));
		}
	}

	private static String millis(long start) {
		return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e6);
	}

}
