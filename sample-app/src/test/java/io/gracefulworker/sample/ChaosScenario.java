package io.gracefulworker.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.sample.demo.SampleInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chaos against three real worker processes on one Redis (standalone or Cluster) while a stream
 * of batches runs: rolling SIGTERM restarts, SIGKILLs, Redis made unresponsive, and malformed
 * entries written straight into Redis. At the end nothing is missing, nothing ran twice but what
 * the kills allow, nothing is left leased or ready, and the dead set holds exactly the malformed
 * entries.
 */
class ChaosScenario {

	private static final List<String> QUEUES = List.of("demo", "bulk");

	private static final int CONCURRENCY = 4;

	private static final String SECRET = "Secret-Customer-7f3a";

	private final JsonMapper json = JsonMapper.builder().build();

	private final Random random = new Random();

	private final List<SampleInstance> instances = new ArrayList<>();

	private final Set<String> badIds = new HashSet<>();

	private final StringRedisTemplate redis;

	private final List<String> connection;

	private final Consumer<Duration> pause;

	private final int batchesPerRound;

	private int restarts;

	private int kills;

	private int pauses;

	/**
	 * The most jobs that may run twice: at least once means a job runs again only when its
	 * lease was lost, so only the leases a killed worker held and those held while Redis paused
	 * (a heartbeat held up by the pause may come after the lease's expiry) may.
	 */
	private int duplicateBound;

	/**
	 * Creates the scenario.
	 * @param redis a template on the Redis under test, for inspection and bad input
	 * @param connection the {@code spring.data.redis.*} properties of the instances
	 * @param pause makes Redis unresponsive for a while
	 * @param batchesPerRound batches of 200 jobs enqueued in each round
	 */
	ChaosScenario(StringRedisTemplate redis, List<String> connection, Consumer<Duration> pause, int batchesPerRound) {
		this.redis = redis;
		this.connection = connection;
		this.pause = pause;
		this.batchesPerRound = batchesPerRound;
	}

	/**
	 * Runs rounds until the duration has passed (at least one) and checks the outcome.
	 * @param duration how long to keep going
	 */
	void run(Duration duration) throws Exception {
		long start = System.nanoTime();
		try {
			for (int i = 0; i < 3; i++) {
				this.instances.add(start("worker-" + (i + 1)));
			}
			this.instances.get(0).delete("/demo/ledger");
			int rounds = 0;
			do {
				round(rounds++);
			}
			while (System.nanoTime() - start < duration.toNanos());
			JsonNode ledger = awaitLedger(Duration.ofMinutes(5));
			awaitBadInputSettled();
			long enqueued = ledger.get("enqueued").asLong();
			long duplicates = ledger.get("duplicates").asLong();
			System.out.printf(Locale.ROOT,
					"Chaos: %d rounds in %d s, %d jobs, %d restarts (SIGTERM), %d kills (SIGKILL), %d Redis pauses, "
							+ "%d malformed entries, missing %d, duplicates %d (bound %d)%n",
					rounds, Duration.ofNanos(System.nanoTime() - start).toSeconds(), enqueued, this.restarts,
					this.kills, this.pauses, this.badIds.size(), ledger.get("missing").asLong(), duplicates,
					this.duplicateBound);
			assertThat(ledger.get("missing").asLong()).isZero();
			assertThat(duplicates).isLessThanOrEqualTo(this.duplicateBound);
			for (String queue : QUEUES) {
				RedisJobKeys keys = RedisJobKeys.of("gw", queue);
				assertThat(this.redis.opsForList().size(keys.ready())).as(queue + " ready").isZero();
				assertThat(this.redis.opsForZSet().size(keys.leases())).as(queue + " leases").isZero();
				// Every running job has an owner, whichever way its lease is kept.
				assertThat(this.redis.opsForHash().size(keys.owners())).as(queue + " owners").isZero();
				assertThat(this.redis.opsForZSet().size(keys.scheduled())).as(queue + " scheduled").isZero();
			}
			assertThat(deadIds()).isEqualTo(this.badIds);
			for (SampleInstance instance : this.instances) {
				JsonNode worker = this.json.readTree(instance.get("/actuator/worker").body());
				assertThat(worker.get("state").asString()).isEqualTo("RUNNING");
				assertThat(instance.get("/actuator/worker").body()).doesNotContain(SECRET);
				assertThat(instance.get("/actuator/health").body()).doesNotContain(SECRET);
			}
		}
		finally {
			for (SampleInstance instance : this.instances) {
				if (instance.isAlive()) {
					instance.sigterm();
					instance.awaitExit(Duration.ofSeconds(60));
				}
				assertThat(instance.log()).as("log of " + instance.name()).doesNotContain(SECRET);
			}
		}
	}

	private void round(int round) throws Exception {
		AtomicBoolean producing = new AtomicBoolean(true);
		AtomicInteger batches = new AtomicInteger();
		Thread producer = new Thread(() -> {
			while (producing.get() && batches.get() < this.batchesPerRound) {
				SampleInstance target = anyLive();
				String queue = QUEUES.get(batches.get() % QUEUES.size());
				try {
					target.post("/demo/batch?jobs=200&millis=5&maxMillis=200&queue=" + queue);
					target.post("/reports", "{\"customer\":\"" + SECRET + "\",\"pages\":2}");
					batches.incrementAndGet();
				}
				catch (RuntimeException ex) {
					// the instance was just stopped; the next batch goes to another
					continue;
				}
				sleep(Duration.ofMillis(500));
			}
		}, "chaos-producer");
		producer.start();
		try {
			writeBadInput(round);
			pauseRedis(Duration.ofSeconds(3));
			for (int i = 0; i < this.instances.size(); i++) {
				restart(i);
			}
			kill(this.random.nextInt(this.instances.size()));
			pauseRedis(Duration.ofSeconds(2));
			for (int i = 0; i < this.instances.size(); i++) {
				restart(i);
			}
			kill(this.random.nextInt(this.instances.size()));
		}
		finally {
			producer.join(Duration.ofMinutes(2).toMillis());
			producing.set(false);
			producer.join();
		}
	}

	/**
	 * Starts an instance. The second keeps its leases per worker and the others a lease a job,
	 * so that each takes back the jobs of the others when they are killed; the second and third
	 * take hand-offs (on a standalone Redis; a Cluster hands nothing over) and the first claims
	 * every job.
	 */
	private SampleInstance start(String name) {
		return SampleInstance.start(name, Path.of("target", "sample-app.jar"), this.connection,
				"spring.lifecycle.timeout-per-shutdown-phase=10s", "graceful-worker.worker.concurrency=" + CONCURRENCY,
				"graceful-worker.worker.queues.bulk=1", "graceful-worker.worker.lease-duration=5s",
				"graceful-worker.worker.recovery-interval=1s", "graceful-worker.worker.unknown-job.retry-delay=500ms",
				"graceful-worker.worker.unknown-job.timeout=3s",
				"graceful-worker.worker.lease-layout=" + (name.equals("worker-2") ? "per-worker" : "per-job"),
				"graceful-worker.worker.hand-off=" + !name.equals("worker-1"));
	}

	private void restart(int index) {
		SampleInstance old = this.instances.get(index);
		old.sigterm();
		Duration exit = old.awaitExit(Duration.ofSeconds(30));
		assertThat(exit).as(old.name() + " exit after SIGTERM").isLessThan(Duration.ofSeconds(10 + 10));
		assertThat(old.log()).as(old.name() + " drained").contains(" stopped in ").doesNotContain("at the deadline");
		assertThat(old.log()).doesNotContain(SECRET);
		this.instances.set(index, start(old.name()));
		this.restarts++;
	}

	private void kill(int index) {
		SampleInstance old = this.instances.get(index);
		String worker = this.json.readTree(old.get("/actuator/worker").body()).get("workerId").asString();
		old.sigkill();
		old.awaitExit(Duration.ofSeconds(10));
		// What a killed worker held runs again: its running jobs, and those that had finished
		// while their completion was still on its way to Redis. Its leases, counted once it is
		// dead and before they expire, are exactly those.
		this.duplicateBound += leasesOf(worker);
		this.instances.set(index, start(old.name()));
		this.kills++;
	}

	private int leasesOf(String worker) {
		int held = 0;
		for (String queue : QUEUES) {
			for (Object token : this.redis.opsForHash().values(RedisJobKeys.of("gw", queue).owners())) {
				if (String.valueOf(token).startsWith(worker + ":")) {
					held++;
				}
			}
		}
		return held;
	}

	private void pauseRedis(Duration duration) {
		for (String queue : QUEUES) {
			// Every leased job has an owner, whichever layout its lease is kept in.
			RedisJobKeys keys = RedisJobKeys.of("gw", queue);
			Long owners = this.redis.opsForHash().size(keys.owners());
			boolean pinned = this.redis.opsForHash().hasKey(keys.owners(), RedisJobKeys.ENCODING_PIN);
			this.duplicateBound += ((owners != null) ? owners.intValue() : 0) - (pinned ? 1 : 0);
		}
		this.pause.accept(duration);
		this.pauses++;
	}

	private void writeBadInput(int round) {
		String huge = "x".repeat(2 * 1024 * 1024);
		for (int i = 0; i < 40; i++) {
			String queue = QUEUES.get(i % QUEUES.size());
			RedisJobKeys keys = RedisJobKeys.of("gw", queue);
			String prefix = "bad-" + round + "-" + i + "-";
			put(keys, prefix + "garbage", "{not json at all");
			put(keys, prefix + "unknown", "{\"name\":\"no.such.job\",\"args\":\"[]\",\"attempt\":0,\"maxAttempts\":3}");
			put(keys, prefix + "types",
					"{\"name\":\"demo.tick\",\"args\":\"[\\\"b\\\",\\\"not a number\\\",5]\",\"attempt\":0,\"maxAttempts\":3}");
			put(keys, prefix + "noname", "{\"args\":\"[]\",\"attempt\":0}");
			put(keys, prefix + "noargs", "{\"name\":\"demo.tick\",\"attempt\":0}");
			put(keys, prefix + "class",
					"{\"name\":\"demo.tick\",\"args\":\"[{\\\"@class\\\":\\\"java.lang.ProcessBuilder\\\"},1,5]\"}");
			if (i < 4) {
				put(keys, prefix + "huge", "{\"name\":\"demo.tick\",\"args\":\"[\\\"b\\\",\\\"" + huge + "\\\",5]\"}");
			}
			this.redis.opsForList().rightPush(keys.ready(), prefix + "dangling");
			this.badIds.add(prefix + "dangling");
		}
	}

	private void put(RedisJobKeys keys, String id, String record) {
		this.redis.opsForHash().put(keys.jobs(), id, record);
		this.redis.opsForList().rightPush(keys.ready(), id);
		this.badIds.add(id);
	}

	private void awaitBadInputSettled() {
		await().atMost(Duration.ofMinutes(2)).until(() -> deadIds().containsAll(this.badIds));
	}

	private Set<String> deadIds() {
		Set<String> dead = new HashSet<>();
		for (String queue : QUEUES) {
			dead.addAll(this.redis.opsForZSet().range(RedisJobKeys.of("gw", queue).dead(), 0, -1));
		}
		return dead;
	}

	private JsonNode awaitLedger(Duration timeout) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
			last[0] = this.json.readTree(anyLive().get("/demo/ledger").body());
			return last[0].get("missing").asLong() <= 0;
		});
		return last[0];
	}

	private SampleInstance anyLive() {
		List<SampleInstance> live = this.instances.stream().filter(SampleInstance::isAlive).toList();
		return live.get(this.random.nextInt(live.size()));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
