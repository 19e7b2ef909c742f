package io.gracefulworker.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

import io.gracefulworker.JobRequest;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.RecoverResult;
import io.gracefulworker.redis.RedisJobKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Whether the cost per job stays flat as the work grows: throughput with a backlog of queued,
 * scheduled and leased jobs in the queue, and one recovery pass over 100,000 expired leases.
 */
final class BacklogBenchmark {

	private static final int LEASED = 10_000;

	private static final int EXPIRED = 100_000;

	private final RedisUnderTest redis;

	private final String prefix;

	private final int concurrency;

	private final BiConsumer<String, Object> figure;

	BacklogBenchmark(RedisUnderTest redis, String prefix, int concurrency, BiConsumer<String, Object> figure) {
		this.redis = redis;
		this.prefix = prefix;
		this.concurrency = concurrency;
		this.figure = figure;
	}

	/**
	 * Fills a queue of its own, measures, and deletes the queue. The throughput is measured twice
	 * with and twice without the backlog, alternating on two queues of their own, so that the
	 * JIT's warm-up and the machine's drift weigh on both alike.
	 * @param queued jobs waiting in the queue while the worker runs
	 * @param jobs jobs the worker runs out of them
	 */
	void run(int queued, int jobs) throws Exception {
		try (WorkerNode empty = new WorkerNode(this.redis, this.prefix + "-empty");
				WorkerNode node = new WorkerNode(this.redis, this.prefix + "-backlog")) {
			RedisJobKeys keys = node.queue.keys(WorkerNode.QUEUE);
			try {
				enqueue(node, LEASED, null);
				// Leased for an hour by a worker that never finishes them.
				int leased = claim(node, LEASED, Duration.ofHours(1), "idle-worker");
				enqueue(node, queued, null);
				enqueue(node, queued / 10, Instant.now().plus(Duration.ofDays(1)));
				this.figure.accept("backlog", queued + " queued, " + (queued / 10) + " scheduled, " + leased + " leased");
				double[] without = new double[2];
				double[] with = new double[2];
				for (int round = 0; round < 2; round++) {
					enqueue(empty, jobs, null);
					without[round] = throughput(empty, jobs);
					with[round] = throughput(node, jobs);
				}
				this.figure.accept("throughput_jobs_per_s_without_backlog", rates(without));
				this.figure.accept("throughput_jobs_per_s_with_backlog", rates(with));
				this.figure.accept("throughput_with_backlog_vs_without",
						String.format(Locale.ROOT, "%.3f", (with[0] + with[1]) / (without[0] + without[1])));
				recoveryPass(node);
			}
			finally {
				new StringRedisTemplate(node.connectionFactory).unlink(List.of(keys.jobs(), keys.ready(), keys.scheduled(),
						keys.leases(), keys.owners(), keys.holders(), keys.dead(), keys.finished(), keys.outcomes(),
						keys.recovery()));
			}
		}
	}

	private static String rates(double[] rates) {
		return String.format(Locale.ROOT, "%.0f, %.0f", rates[0], rates[1]);
	}

	private void enqueue(WorkerNode node, int count, Instant runAt) {
		List<JobRequest> chunk = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			chunk.add((runAt != null) ? JobRequest.of("bench.noop").runAt(runAt) : JobRequest.of("bench.noop"));
		}
		for (int stored = 0; stored < count; stored += chunk.size()) {
			node.client.enqueueAll(chunk.subList(0, Math.min(chunk.size(), count - stored)));
		}
	}

	private static int claim(WorkerNode node, int count, Duration lease, String worker) {
		int claimed = 0;
		for (int n = 1; claimed < count; n++) {
			int taken = node.queue.claim(WorkerNode.QUEUE, count - claimed, lease, worker + ":" + n).jobs().size();
			if (taken == 0) {
				break;
			}
			claimed += taken;
		}
		return claimed;
	}

	private double throughput(WorkerNode node, int jobs) throws Exception {
		var done = node.expect(jobs);
		GracefulWorker worker = node.worker(this.concurrency);
		long before = node.successes.get();
		long start = System.nanoTime();
		worker.start();
		done.await();
		// Stopping lets what runs finish and writes every completion before it returns.
		worker.stop(Duration.ofSeconds(30));
		double seconds = (System.nanoTime() - start) / 1e9;
		return (node.successes.get() - before) / seconds;
	}

	private void recoveryPass(WorkerNode node) {
		claim(node, EXPIRED, Duration.ofMillis(1), "dead-worker");
		long deadline = System.currentTimeMillis() + 2;
		while (System.currentTimeMillis() < deadline) {
			Thread.onSpinWait();
		}
		long start = System.nanoTime();
		RecoverResult result = node.queue.recover(WorkerNode.QUEUE, 3);
		this.figure.accept("recovery_pass_ms_with_100000_expired_leases",
				String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e6));
		this.figure.accept("recovery_pass_leases_recovered", result.recovered() + result.dead());
	}

}
