package io.gracefulworker.sample.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.gracefulworker.sample.EmbeddedRedis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A rollout you can watch: two sample instances share one Redis, a batch of jobs is enqueued,
 * and each instance is replaced in turn (SIGTERM, wait for it to exit, start a new one) while the
 * jobs run and a {@link FleetWatch} prints the whole fleet from the registry once a second. It
 * ends with the ledger.
 *
 * <p>Run it with {@code sample-app/rollout-demo.sh}; options: {@code --jobs=500},
 * {@code --min-millis=200}, {@code --max-millis=500}, {@code --phase-timeout=10s},
 * {@code --jar=sample-app/target/sample-app.jar}.
 */
public final class RolloutDemo {

	private static final Duration POLL = Duration.ofMillis(200);

	private final Path jar;

	private final String redisHost;

	private final int redisPort;

	private final PrintStream out;

	private final JsonMapper json = JsonMapper.builder().build();

	public RolloutDemo(Path jar, String redisHost, int redisPort, PrintStream out) {
		this.jar = jar;
		this.redisHost = redisHost;
		this.redisPort = redisPort;
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new TreeMap<>(Map.of("jobs", "500", "min-millis", "200", "max-millis", "500",
				"phase-timeout", "10s", "jar", "sample-app/target/sample-app.jar"));
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			if (pair.length != 2 || !options.containsKey(pair[0])) {
				System.err.println("Unknown option " + arg + "; options: " + options.keySet());
				System.exit(2);
			}
			options.put(pair[0], pair[1]);
		}
		Result result;
		try (EmbeddedRedis redis = EmbeddedRedis.start(SampleInstance.freePort())) {
			System.out.println("Redis (embedded 6.2) on 127.0.0.1:" + redis.port());
			result = new RolloutDemo(Path.of(options.get("jar")), "127.0.0.1", redis.port(), System.out).run(
					Integer.parseInt(options.get("jobs")), Integer.parseInt(options.get("min-millis")),
					Integer.parseInt(options.get("max-millis")), options.get("phase-timeout"));
		}
		System.exit(result.clean() ? 0 : 1);
	}

	/**
	 * Runs the rollout.
	 * @param jobs how many jobs to enqueue
	 * @param minMillis the shortest job
	 * @param maxMillis the longest job
	 * @param phaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase} of the instances
	 * @return what happened
	 */
	public Result run(int jobs, int minMillis, int maxMillis, String phaseTimeout) {
		String[] properties = { "spring.lifecycle.timeout-per-shutdown-phase=" + phaseTimeout,
				"graceful-worker.worker.concurrency=4" };
		List<SampleInstance> instances = new ArrayList<>();
		List<Restart> restarts = new ArrayList<>();
		try (FleetWatch fleet = new FleetWatch(this.redisHost, this.redisPort, this.out)) {
			for (int i = 0; i < 2; i++) {
				instances.add(start("instance-" + (i + 1), properties, fleet));
			}
			SampleInstance first = instances.get(0);
			first.delete("/demo/ledger");
			JsonNode batch = this.json.readTree(first
				.post("/demo/batch?jobs=" + jobs + "&millis=" + minMillis + "&maxMillis=" + maxMillis)
				.body());
			this.out.println("Enqueued batch " + batch.get("batch").asString() + ": " + jobs + " jobs of " + minMillis
					+ "-" + maxMillis + " ms");
			awaitCompleted(first, jobs / 10, Duration.ofSeconds(120));
			for (int i = 0; i < instances.size(); i++) {
				SampleInstance old = instances.get(i);
				restarts.add(restart(old, fleet));
				instances.set(i, start(old.name() + "'", properties, fleet));
				this.out.println("  ledger now " + ledger(instances.get(i)));
			}
			JsonNode ledger = awaitCompleted(instances.get(0), jobs, Duration.ofSeconds(300));
			this.out.printf(Locale.ROOT, "Ledger: enqueued %d, completed %d, executions %d, missing %d, duplicates %d%n",
					ledger.get("enqueued").asLong(), ledger.get("completed").asLong(), ledger.get("executions").asLong(),
					ledger.get("missing").asLong(), ledger.get("duplicates").asLong());
			return new Result(ledger.get("enqueued").asLong(), ledger.get("completed").asLong(),
					ledger.get("missing").asLong(), ledger.get("duplicates").asLong(), restarts);
		}
		finally {
			for (SampleInstance instance : instances) {
				if (instance.isAlive()) {
					instance.sigterm();
					instance.awaitExit(Duration.ofSeconds(60));
				}
			}
		}
	}

	private SampleInstance start(String name, String[] properties, FleetWatch fleet) {
		SampleInstance instance = SampleInstance.start(name, this.jar, this.redisHost, this.redisPort, properties);
		fleet.name(workerId(instance), name);
		this.out.println("Started " + name);
		return instance;
	}

	private String workerId(SampleInstance instance) {
		return this.json.readTree(instance.get("/actuator/worker").body()).get("workerId").asString();
	}

	private Restart restart(SampleInstance old, FleetWatch fleet) {
		String workerId = workerId(old);
		this.out.println("SIGTERM " + old.name() + "; ledger " + ledger(old));
		old.sigterm();
		Duration exit = old.awaitExit(Duration.ofSeconds(120));
		String summary = old.log()
			.lines()
			.filter((line) -> line.contains(" stopped in "))
			.reduce((a, b) -> b)
			.map((line) -> line.substring(line.lastIndexOf("Worker ", line.indexOf(" stopped in "))))
			.orElse("(no drain summary)");
		this.out.println("  " + old.name() + " exited " + exit.toMillis() + " ms after SIGTERM: " + summary);
		return new Restart(old.name(), exit, fleet.states(workerId), summary);
	}

	private JsonNode awaitCompleted(SampleInstance instance, long completed, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode ledger = ledger(instance);
			if (ledger.get("completed").asLong() >= completed) {
				return ledger;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + ledger.get("completed").asLong() + " of " + completed
						+ " jobs completed within " + timeout);
			}
			sleep(POLL);
		}
	}

	private JsonNode ledger(SampleInstance instance) {
		return this.json.readTree(instance.get("/demo/ledger").body());
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What the rollout showed.
	 *
	 * @param enqueued jobs enqueued
	 * @param completed distinct jobs run to the end
	 * @param missing jobs that never completed
	 * @param duplicates executions beyond one per job
	 * @param restarts each instance's replacement
	 */
	public record Result(long enqueued, long completed, long missing, long duplicates, List<Restart> restarts) {

		public boolean clean() {
			return this.missing == 0 && this.duplicates == 0;
		}

	}

	/**
	 * One instance's replacement.
	 *
	 * @param instance the old instance's name
	 * @param exit how long after SIGTERM it exited
	 * @param states the states the fleet registry showed it in
	 * @param summary its drain summary line
	 */
	public record Restart(String instance, Duration exit, List<String> states, String summary) {
	}

}
