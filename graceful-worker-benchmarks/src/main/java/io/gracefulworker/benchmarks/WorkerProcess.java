package io.gracefulworker.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobObservation;
import io.gracefulworker.core.JobRecord;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A worker JVM of a {@code --workers W} run: runs the benchmark's jobs until it is terminated,
 * and records in Redis when it claimed its first job.
 */
final class WorkerProcess {

	private WorkerProcess() {
	}

	static void run(Map<String, String> options) throws Exception {
		RedisUnderTest redis = RedisUnderTest.connect(options.get("redis"));
		String prefix = options.get("prefix");
		WorkerNode node = new WorkerNode(redis, prefix);
		StringRedisTemplate template = new StringRedisTemplate(node.connectionFactory);
		GracefulWorker worker = node.worker(Integer.parseInt(options.get("concurrency")));
		worker.setObservation(new JobObservation() {

			private volatile boolean first = true;

			@Override
			public void execute(JobRecord record, Execution execution) throws Throwable {
				if (this.first) {
					this.first = false;
					template.opsForValue().setIfAbsent(prefix + ":first-claim", String.valueOf(BenchmarkJobs.nowMicros()));
				}
				execution.proceed();
			}

		});
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			worker.stop(Duration.ofSeconds(10));
			stopped.countDown();
		}));
		worker.start();
		stopped.await();
	}

}
