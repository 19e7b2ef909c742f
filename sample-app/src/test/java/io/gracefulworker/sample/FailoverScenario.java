package io.gracefulworker.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.gracefulworker.sample.demo.SampleInstance;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sample processes take a stream of single-job enqueues that ask for a replica's
 * acknowledgement while Redis fails over twice. The test keeps its own list of the jobs whose
 * enqueue was answered 202, since any write to Redis, the sample's ledger included, may be
 * refused during a failover; at the end every one of them has run.
 */
class FailoverScenario {

	private static final int PRODUCERS = 2;

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<String> connection;

	private final Supplier<LettuceConnectionFactory> inspection;

	private final Failover failover;

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final AtomicInteger refused = new AtomicInteger();

	/**
	 * Creates the scenario.
	 * @param connection the {@code spring.data.redis.*} properties of the instances
	 * @param inspection a connection factory on the Redis under test, made after the failovers
	 * @param failover fails the Redis that holds the demo queue over and waits until it settles
	 */
	FailoverScenario(List<String> connection, Supplier<LettuceConnectionFactory> inspection, Failover failover) {
		this.connection = connection;
		this.inspection = inspection;
		this.failover = failover;
	}

	void run() throws Exception {
		List<SampleInstance> instances = new ArrayList<>();
		AtomicBoolean producing = new AtomicBoolean(true);
		List<Thread> producers = new ArrayList<>();
		long start = System.nanoTime();
		try {
			for (int i = 0; i < 2; i++) {
				instances.add(start("worker-" + (i + 1)));
			}
			for (int p = 0; p < PRODUCERS; p++) {
				SampleInstance target = instances.get(p % instances.size());
				Thread producer = new Thread(() -> produce(target, producing), "producer-" + p);
				producer.start();
				producers.add(producer);
			}
			for (int i = 0; i < 2; i++) {
				awaitMoreAcknowledged(300);
				this.failover.run();
			}
			awaitMoreAcknowledged(300);
			producing.set(false);
			for (Thread producer : producers) {
				producer.join();
			}
			Map<Object, Object> completed = awaitCompleted(instances.get(0));
			long duplicates = completed.values().stream().mapToLong((count) -> Long.parseLong((String) count) - 1).sum();
			System.out.printf(Locale.ROOT,
					"Failovers: %d enqueues acknowledged, %d refused or unconfirmed, %d jobs ran, %d ran more than"
							+ " once, in %d s%n",
					this.acknowledged.size(), this.refused.get(), completed.size(), duplicates,
					Duration.ofNanos(System.nanoTime() - start).toSeconds());
			for (SampleInstance instance : instances) {
				assertThat(this.json.readTree(instance.get("/actuator/worker").body()).get("state").asString())
					.isEqualTo("RUNNING");
			}
		}
		finally {
			producing.set(false);
			for (SampleInstance instance : instances) {
				instance.sigterm();
				instance.awaitExit(Duration.ofSeconds(60));
			}
		}
	}

	private SampleInstance start(String name) {
		return SampleInstance.start(name, Path.of("target", "sample-app.jar"), this.connection,
				"graceful-worker.enqueue.replicas=1", "spring.lifecycle.timeout-per-shutdown-phase=10s",
				"graceful-worker.worker.lease-duration=6s", "graceful-worker.worker.recovery-interval=1s",
				// The demo job writes to Redis itself, and a failover refuses writes for seconds.
				"graceful-worker.retry.max-attempts=20", "graceful-worker.retry.max-backoff=2s");
	}

	private void produce(SampleInstance target, AtomicBoolean producing) {
		while (producing.get()) {
			boolean stored = false;
			try {
				var response = target.post("/demo/batch?jobs=1&millis=5&maxMillis=100");
				if (response.statusCode() == 202) {
					this.acknowledged.add(this.json.readTree(response.body()).get("batch").asString() + ":0");
					stored = true;
				}
			}
			catch (RuntimeException ex) {
				// not acknowledged
			}
			if (!stored) {
				this.refused.incrementAndGet();
				// a caller's pace while Redis refuses writes
				LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
			}
		}
	}

	private void awaitMoreAcknowledged(int more) {
		int before = this.acknowledged.size();
		await().atMost(Duration.ofMinutes(1)).until(() -> this.acknowledged.size() >= before + more);
	}

	private Map<Object, Object> awaitCompleted(SampleInstance any) {
		LettuceConnectionFactory connectionFactory = this.inspection.get();
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		try {
			StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
			Map<Object, Object>[] completed = new Map[1];
			await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
				completed[0] = redis.opsForHash().entries(Ledger.COMPLETED);
				assertThat(completed[0].keySet()).as("acknowledged jobs that ran").containsAll(this.acknowledged);
			});
			return completed[0];
		}
		finally {
			connectionFactory.destroy();
		}
	}

	interface Failover {

		void run() throws Exception;

	}

}
