package io.gracefulworker.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.gracefulworker.JobRequest;
import io.gracefulworker.WorkerState;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.redis.RedisLeaseLayout;
import io.gracefulworker.redis.RedisOutcomeLayout;
import io.gracefulworker.redis.RedisRecordLayout;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Prints the worker's figures, one {@code name: value} per line: enqueue rate, throughput,
 * Redis commands per job, pickup latency, stop latency, memory, and the raw round-trip rate of
 * Redis and the client in the same run.
 *
 * <p>Options: {@code --redis host:port} (default: start a Redis), {@code --jobs N} (20000),
 * {@code --concurrency C} (64), {@code --workers W} (1: in process; more: worker JVMs),
 * {@code --backlog N} (0: none; else throughput among N queued, N/10 scheduled and 10,000 leased
 * jobs, and a recovery pass over 100,000 expired leases), {@code --retention on|off} (on: succeeded
 * outcomes kept as the library's defaults keep them; off: removed at once).
 */
public final class Benchmarks {

	private static final int PICKUP_WARM_UP = 15_000;

	private final RedisUnderTest redis;

	private final int jobs;

	private final int concurrency;

	private final int workers;

	private final String prefix = "gwbench-" + UUID.randomUUID().toString().substring(0, 8);

	private final int backlog;

	private final JobRetention retention;

	private Benchmarks(RedisUnderTest redis, int jobs, int concurrency, int workers, int backlog,
			JobRetention retention) {
		this.retention = retention;
		this.redis = redis;
		this.jobs = jobs;
		this.concurrency = concurrency;
		this.workers = workers;
		this.backlog = backlog;
	}

	/** The options the harness takes, as {@code --help} prints them. */
	private static final String USAGE = "options: --redis host:port --jobs N --concurrency C --workers W --backlog N"
			+ " --retention on|off --virtual-threads on|off --record-layout auto|json|compact"
			+ " --lease-layout auto|per-job|per-worker --outcome-layout auto|sorted-set|list --hand-off on|off"
			+ " --redis-instructions on (only Redis's instructions a job, under valgrind)";

	public static void main(String[] args) throws Exception {
		if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
			System.out.println("java -jar graceful-worker-benchmarks.jar [options]; " + USAGE);
			return;
		}
		Map<String, String> options = options(args);
		WorkerNode.recordLayout = layout(options, "record-layout", RedisRecordLayout.class);
		WorkerNode.leaseLayout = layout(options, "lease-layout", RedisLeaseLayout.class);
		WorkerNode.outcomeLayout = layout(options, "outcome-layout", RedisOutcomeLayout.class);
		WorkerNode.handOff = switch (options.getOrDefault("hand-off", "on")) {
			case "on" -> true;
			case "off" -> false;
			default -> throw new IllegalArgumentException("--hand-off takes on or off");
		};
		WorkerNode.virtualThreads = switch (options.getOrDefault("virtual-threads", "off")) {
			case "on" -> true;
			case "off" -> false;
			default -> throw new IllegalArgumentException("--virtual-threads takes on or off");
		};
		if (WorkerNode.virtualThreads && Runtime.version().feature() < 21) {
			throw new IllegalArgumentException("--virtual-threads on needs Java 21 or newer (this is "
					+ Runtime.version().feature() + ")");
		}
		if (options.containsKey("role")) {
			WorkerProcess.run(options);
			return;
		}
		if (!List.of("on", "off").contains(options.getOrDefault("redis-instructions", "off"))) {
			throw new IllegalArgumentException("--redis-instructions takes on or off");
		}
		if ("on".equals(options.get("redis-instructions"))) {
			try (RedisUnderTest redis = RedisUnderTest.startUnderCallgrind()) {
				Benchmarks benchmarks = new Benchmarks(redis, Integer.parseInt(options.getOrDefault("jobs", "6400")), 64, 1, 0,
						WorkerNode.DEFAULT_RETENTION);
				benchmarks.figure("redis_version", redis.version());
				benchmarks.figure("redis_source", redis.source);
				benchmarks.figure("record_layout", option(WorkerNode.recordLayout));
				benchmarks.figure("lease_layout", option(WorkerNode.leaseLayout));
				benchmarks.figure("outcome_layout", option(WorkerNode.outcomeLayout));
				new ScriptBenchmark(redis, benchmarks.prefix, benchmarks::figure).countInstructions(benchmarks.jobs);
			}
			System.exit(0);
		}
		RedisUnderTest redis = options.containsKey("redis") ? RedisUnderTest.connect(options.get("redis"))
				: RedisUnderTest.start();
		try {
			new Benchmarks(redis, Integer.parseInt(options.getOrDefault("jobs", "20000")),
					Integer.parseInt(options.getOrDefault("concurrency", "64")),
					Integer.parseInt(options.getOrDefault("workers", "1")),
					Integer.parseInt(options.getOrDefault("backlog", "0")),
					retention(options.getOrDefault("retention", "on")))
				.run();
		}
		finally {
			redis.close();
		}
		System.exit(0);
	}

	/**
	 * Returns a layout as its command-line option writes it ({@code per-worker} for PER_WORKER).
	 */
	private static String option(Enum<?> layout) {
		return layout.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	// A layout option as the properties spell it (auto, per-job, sorted-set, ...), auto unless given.
	private static <E extends Enum<E>> E layout(Map<String, String> options, String name, Class<E> type) {
		String value = options.getOrDefault(name, "auto");
		List<String> names = new ArrayList<>();
		for (E layout : type.getEnumConstants()) {
			if (option(layout).equals(value)) {
				return layout;
			}
			names.add(option(layout));
		}
		throw new IllegalArgumentException("--" + name + " takes " + String.join(", ", names));
	}

	private static JobRetention retention(String option) {
		return switch (option) {
			case "on" -> WorkerNode.DEFAULT_RETENTION;
			case "off" -> JobRetention.NO_OUTCOMES;
			default -> throw new IllegalArgumentException("--retention takes on or off, not " + option);
		};
	}

	static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("Unexpected argument " + arg);
			}
			String[] pair = arg.substring(2).split("=", 2);
			if (pair.length == 2) {
				options.put(pair[0], pair[1]);
			}
			else if (i + 1 < args.length) {
				options.put(pair[0], args[++i]);
			}
			else {
				throw new IllegalArgumentException("Option " + arg + " needs a value");
			}
		}
		for (String key : options.keySet()) {
			if (!List.of("redis", "jobs", "concurrency", "workers", "role", "prefix", "backlog", "retention",
					"virtual-threads", "record-layout", "lease-layout", "outcome-layout", "hand-off", "redis-instructions")
				.contains(key)) {
				throw new IllegalArgumentException("Unknown option --" + key + "; " + USAGE);
			}
		}
		return options;
	}

	private void run() throws Exception {
		figure("redis_version", this.redis.version());
		figure("redis_source", this.redis.source);
		figure("jobs", this.jobs);
		figure("concurrency", this.concurrency);
		figure("workers", this.workers);
		figure("retention", this.retention.keepsOutcomes() ? "on (succeeded outcomes kept 5m, at most 10,000 a queue)"
				: "off (succeeded jobs removed at once)");
		figure("java_version", System.getProperty("java.version"));
		figure("virtual_threads", WorkerNode.virtualThreads ? "on" : "off");
		figure("record_layout", option(WorkerNode.recordLayout));
		figure("lease_layout", option(WorkerNode.leaseLayout));
		figure("hand_off", WorkerNode.handOff ? "on" : "off");
		try (WorkerNode node = new WorkerNode(this.redis, this.prefix, 0, this.retention)) {
			Map<String, Long> callsBefore = this.redis.callsByCommand();
			Map<String, Long> microsBefore = this.redis.microsByCommand();
			long memoryBefore = this.redis.usedMemory();
			double redisCpuAtStart = this.redis.cpuSeconds();
			double redisSystemCpuAtStart = this.redis.systemCpuSeconds();
			enqueueRate(node, "enqueue_jobs_per_s");
			double redisCpuBefore = this.redis.cpuSeconds();
			figure("enqueue_jobs_per_script_call", ratio(this.jobs,
					RedisUnderTest.sum(this.redis.callsByCommand(), "evalsha") - RedisUnderTest.sum(callsBefore, "evalsha")));
			long jvmCpuBefore = processCpuNanos();
			OtherCpu otherCpu = new OtherCpu(this.redis);
			long harnessCpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
			long throughputStart = System.nanoTime();
			double throughput = (this.workers == 1) ? throughputInProcess(node, "throughput_jobs_per_s")
					: throughputInJvms(node);
			double wall = (System.nanoTime() - throughputStart) / 1e9;
			double redisCpuAfter = this.redis.cpuSeconds();
			long jvmCpuAfter = processCpuNanos();
			long harnessCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - harnessCpuBefore;
			figure("redis_cpu_share_during_throughput",
					String.format(Locale.ROOT, "%.2f", (redisCpuAfter - redisCpuBefore) / wall));
			figure("benchmark_jvm_cpu_share_during_throughput",
					String.format(Locale.ROOT, "%.2f", (jvmCpuAfter - jvmCpuBefore) / 1e9 / wall));
			if (this.workers == 1) {
				figure("other_cpu_share_during_throughput", otherCpu.since() + " (cores other processes took)");
				figure("client_cpu_us_per_job", clientCpuPerJob(jvmCpuAfter - jvmCpuBefore, harnessCpu));
			}
			figure("redis_cpu_us_per_job",
					String.format(Locale.ROOT, "%.1f", (redisCpuAfter - redisCpuAtStart) * 1e6 / this.jobs));
			figure("redis_cpu_system_share", String.format(Locale.ROOT, "%.2f (in the kernel: reads, writes, polls)",
					(this.redis.systemCpuSeconds() - redisSystemCpuAtStart) / (redisCpuAfter - redisCpuAtStart)));
			figure("redis_cpu_us_per_job_by_phase",
					String.format(Locale.ROOT, "enqueue=%.1f process=%.1f", (redisCpuBefore - redisCpuAtStart) * 1e6 / this.jobs,
							(redisCpuAfter - redisCpuBefore) * 1e6 / this.jobs));
			Map<String, Long> callsAfter = this.redis.callsByCommand();
			figure("redis_commands_per_job", ratio(RedisUnderTest.sum(callsAfter, "") - RedisUnderTest.sum(callsBefore, "")
					- node.completionPolls.get(), this.jobs));
			figure("redis_script_calls_per_job",
					ratio(RedisUnderTest.sum(callsAfter, "eval") - RedisUnderTest.sum(callsBefore, "eval"), this.jobs));
			figure("redis_commands_per_job_by_command", breakdown(callsBefore, callsAfter));
			figure("redis_command_us_per_job_by_command", breakdown(microsBefore, this.redis.microsByCommand()));
			figure("redis_keys_left_after_completion", keysLeft(node));
			long growth = this.redis.usedMemory() - memoryBefore;
			figure("redis_memory_growth_after_completion_kb", growth / 1024);
			StringRedisTemplate template = new StringRedisTemplate(node.connectionFactory);
			RedisJobKeys queueKeys = node.queue.keys(WorkerNode.QUEUE);
			long kept = template.opsForZSet().size(queueKeys.finished())
					+ template.opsForList().size(queueKeys.outcomes());
			if (kept > 0) {
				figure("redis_bytes_per_kept_outcome", ratio(growth, kept) + " (" + kept + " kept)");
			}
			if (this.workers == 1) {
				warmThroughput(node);
			}
			double raw = rawRoundTrips(node);
			figure("efficiency", String.format(Locale.ROOT, "%.3f", throughput / raw));
			if (this.workers == 1) {
				idleCostAndPickup(node);
				stopLatencies(node);
			}
			bytesPerQueuedJob(node);
			System.gc();
			long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			figure("heap_used_mb_after_gc", String.format(Locale.ROOT, "%.1f", heap / 1024.0 / 1024.0));
		}
		batchEnqueueRate();
		new ScriptBenchmark(this.redis, this.prefix, this::figure).run(Math.max(this.jobs, 50_000));
		new DeadSetBenchmark(this.redis, this.prefix, this::figure).run();
		new RecurringBenchmark(this.redis, this.prefix, this::figure).run();
		if (this.backlog > 0) {
			new BacklogBenchmark(this.redis, this.prefix, this.concurrency, this::figure).run(this.backlog, this.jobs);
		}
		if (this.redis.isStartedHere()) {
			replicaConfirmedEnqueueRate();
		}
	}

	/**
	 * JobClient.enqueueAll from one thread, 10,000 requests a call, into a queue of its own that
	 * is deleted after.
	 */
	private void batchEnqueueRate() throws Exception {
		try (WorkerNode batch = new WorkerNode(this.redis, this.prefix + "-batch")) {
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 10_000; i++) {
				requests.add(JobRequest.of("bench.noop"));
			}
			batch.client.enqueueAll(requests);
			double redisCpu = this.redis.cpuSeconds();
			long clientCpu = processCpuNanos();
			long start = System.nanoTime();
			int stored = 0;
			while (stored < Math.max(this.jobs, 100_000)) {
				stored += batch.client.enqueueAll(requests).size();
			}
			figure("enqueue_batch_jobs_per_s", rate(stored, System.nanoTime() - start));
			figure("enqueue_batch_cpu_us_per_job", String.format(Locale.ROOT, "client %.2f redis %.2f",
					(processCpuNanos() - clientCpu) / 1e3 / stored, (this.redis.cpuSeconds() - redisCpu) * 1e6 / stored));
			RedisJobKeys keys = batch.queue.keys(WorkerNode.QUEUE);
			new StringRedisTemplate(batch.connectionFactory).delete(List.of(keys.jobs(), keys.ready()));
		}
	}

	/**
	 * The cost of graceful-worker.enqueue.replicas=1: enqueues that wait for a replica's
	 * acknowledgement, against a replica started now (last, so that the figures above are
	 * without replication).
	 */
	private void replicaConfirmedEnqueueRate() throws Exception {
		Process replica = this.redis.startReplica();
		try (WorkerNode plain = new WorkerNode(this.redis, this.prefix + "-plain");
				WorkerNode confirmed = new WorkerNode(this.redis, this.prefix + "-confirmed", 1,
						WorkerNode.DEFAULT_RETENTION)) {
			long start = System.nanoTime();
			parallel(this.concurrency, this.jobs, (i) -> plain.client.enqueue("bench.noop"));
			figure("enqueue_jobs_per_s_with_a_replica", rate(this.jobs, System.nanoTime() - start));
			Map<String, Long> before = this.redis.callsByCommand();
			start = System.nanoTime();
			parallel(this.concurrency, this.jobs, (i) -> confirmed.client.enqueue("bench.noop"));
			figure("enqueue_jobs_per_s_confirmed_by_replica", rate(this.jobs, System.nanoTime() - start));
			figure("redis_wait_calls_per_confirmed_enqueue",
					ratio(RedisUnderTest.sum(this.redis.callsByCommand(), "wait") - RedisUnderTest.sum(before, "wait"),
							this.jobs));
		}
		finally {
			replica.destroy();
		}
	}

	private void enqueueRate(WorkerNode node, String name) throws Exception {
		long start = System.nanoTime();
		parallel(this.concurrency, this.jobs, (i) -> node.client.enqueue("bench.noop"));
		figure(name, rate(this.jobs, System.nanoTime() - start));
	}

	private double throughputInProcess(WorkerNode node, String name) throws Exception {
		CountDownLatch done = node.expect(this.jobs);
		GracefulWorker worker = node.worker(this.concurrency);
		ThreadCpu threadCpu = new ThreadCpu();
		long start = System.nanoTime();
		worker.start();
		if (!done.await(10, TimeUnit.MINUTES)) {
			throw new IllegalStateException("Jobs did not complete");
		}
		// The run ends when every completion is written, not when the last job returns.
		node.awaitCompletionsWritten();
		double throughput = this.jobs / ((System.nanoTime() - start) / 1e9);
		figure(name, String.format(Locale.ROOT, "%.0f", throughput));
		if (name.startsWith("throughput_jobs_per_s")) {
			figure(name.replace("throughput_jobs_per_s", "client_cpu_us_per_job_by_thread"), threadCpu.perJob(this.jobs));
		}
		worker.stop(Duration.ofSeconds(30));
		return throughput;
	}

	/**
	 * The enqueue and throughput phases again in the now warm JVM: the first run pays for the
	 * JIT's compilation of the whole stack, which a service that has run for a while has done.
	 */
	private void warmThroughput(WorkerNode node) throws Exception {
		enqueueRate(node, "enqueue_jobs_per_s_warm");
		long jvmCpuBefore = processCpuNanos();
		long harnessCpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
		throughputInProcess(node, "throughput_jobs_per_s_warm");
		long harnessCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - harnessCpuBefore;
		figure("client_cpu_us_per_job_warm", clientCpuPerJob(processCpuNanos() - jvmCpuBefore, harnessCpu));
	}

	/**
	 * The worker's CPU a job over a phase: the JVM's, less this thread's, which only waits and
	 * checks that the completions are written.
	 */
	private String clientCpuPerJob(long jvmCpuNanos, long harnessCpuNanos) {
		return String.format(Locale.ROOT, "%.1f", (jvmCpuNanos - harnessCpuNanos) / 1e3 / this.jobs);
	}

	private double throughputInJvms(WorkerNode node) throws Exception {
		String jar = System.getProperty("java.class.path");
		StringRedisTemplate template = new StringRedisTemplate(node.connectionFactory);
		RedisJobKeys keys = node.queue.keys(WorkerNode.QUEUE);
		String firstClaimKey = this.prefix + ":first-claim";
		List<Process> processes = new ArrayList<>();
		List<Path> logs = new ArrayList<>();
		for (int i = 0; i < this.workers; i++) {
			Path log = Files.createTempFile("gwbench-worker-", ".log");
			logs.add(log);
			processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					jar, "org.springframework.boot.loader.launch.JarLauncher", "--role", "worker", "--redis",
					this.redis.host + ":" + this.redis.port, "--concurrency",
					String.valueOf(Math.max(1, this.concurrency / this.workers)), "--prefix", this.prefix,
					"--record-layout", option(WorkerNode.recordLayout), "--lease-layout",
					option(WorkerNode.leaseLayout), "--outcome-layout", option(WorkerNode.outcomeLayout), "--hand-off", WorkerNode.handOff ? "on" : "off")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start());
		}
		try {
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
			while (template.opsForHash().size(keys.owners()) > 0 || template.opsForList().size(keys.ready()) > 0) {
				for (int i = 0; i < processes.size(); i++) {
					if (!processes.get(i).isAlive()) {
						throw new IllegalStateException("Worker JVM " + i + " exited:\n" + Files.readString(logs.get(i)));
					}
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Jobs did not complete");
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
			}
			long end = BenchmarkJobs.nowMicros();
			long firstClaim = Long.parseLong(template.opsForValue().get(firstClaimKey));
			double throughput = this.jobs / ((end - firstClaim) / 1e6);
			figure("throughput_jobs_per_s", String.format(Locale.ROOT, "%.0f", throughput));
			return throughput;
		}
		finally {
			for (Process process : processes) {
				process.destroy();
				process.waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	private String breakdown(Map<String, Long> before, Map<String, Long> after) {
		return after.entrySet()
			.stream()
			.map((entry) -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0L)))
			.filter((entry) -> entry.getValue() * 100 >= this.jobs)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.map((entry) -> entry.getKey() + "=" + ratio(entry.getValue(), this.jobs))
			.collect(java.util.stream.Collectors.joining(" "));
	}

	static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private long keysLeft(WorkerNode node) {
		try (RedisConnection connection = node.connectionFactory.getConnection()) {
			return connection.serverCommands().dbSize();
		}
	}

	/**
	 * One Redis round trip at the pickup test's pace (one every 5 ms, both ends idle in between):
	 * the floor under a pickup, which takes an enqueue, the wake-up's delivery and a claim.
	 */
	private void idleRoundTrip(WorkerNode node) {
		StringRedisTemplate template = new StringRedisTemplate(node.connectionFactory);
		String key = this.prefix + ":idle";
		long[] micros = new long[400];
		for (int i = 0; i < micros.length; i++) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
			long start = System.nanoTime();
			template.opsForValue().get(key);
			micros[i] = (System.nanoTime() - start) / 1000;
		}
		Arrays.sort(micros);
		figure("idle_roundtrip_p50_ms", millis(percentile(micros, 0.50)));
		figure("idle_roundtrip_p99_ms", millis(percentile(micros, 0.99)));
	}

	/**
	 * One thread waking another at the pickup test's pace, both idle in between: the floor under
	 * each of a pickup's hand-overs between threads, without Redis.
	 */
	private void idleThreadWake() {
		Thread caller = Thread.currentThread();
		AtomicLong woken = new AtomicLong();
		AtomicLong wakes = new AtomicLong();
		Thread wakee = new Thread(() -> {
			long seen = 0;
			while (!Thread.currentThread().isInterrupted()) {
				LockSupport.park();
				if (wakes.get() != seen) {
					seen = wakes.get();
					woken.set(System.nanoTime());
					LockSupport.unpark(caller);
				}
			}
		}, "gwbench-wakee");
		wakee.setDaemon(true);
		wakee.start();
		long[] micros = new long[1000];
		for (int i = 0; i < micros.length; i++) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
			woken.set(0);
			long start = System.nanoTime();
			wakes.incrementAndGet();
			LockSupport.unpark(wakee);
			while (woken.get() == 0) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			micros[i] = (woken.get() - start) / 1000;
		}
		wakee.interrupt();
		Arrays.sort(micros);
		figure("idle_thread_wake_p50_us", String.valueOf(percentile(micros, 0.50)));
		figure("idle_thread_wake_p99_us", String.valueOf(percentile(micros, 0.99)));
	}

	private double rawRoundTrips(WorkerNode node) throws Exception {
		StringRedisTemplate template = new StringRedisTemplate(node.connectionFactory);
		String key = this.prefix + ":raw";
		AtomicLong count = new AtomicLong();
		long duration = TimeUnit.SECONDS.toNanos(3);
		long start = System.nanoTime();
		parallel(this.concurrency, this.concurrency, (i) -> {
			while (System.nanoTime() - start < duration) {
				template.opsForValue().get(key);
				count.incrementAndGet();
			}
		});
		double raw = count.get() / ((System.nanoTime() - start) / 1e9);
		figure("raw_roundtrips_per_s", String.format(Locale.ROOT, "%.0f", raw));
		return raw;
	}

	private void idleCostAndPickup(WorkerNode node) throws Exception {
		GracefulWorker worker = node.worker(this.concurrency);
		worker.start();
		// The pickup job's own path (an argument written at the enqueue and read by the worker)
		// warmed as a running service's is: the throughput phase ran jobs without arguments, so
		// without this the samples would time the JIT's interpreter and first compilations.
		int warmUp = 20_000;
		CountDownLatch warm = node.expect(warmUp);
		parallel(this.concurrency, warmUp, (i) -> node.client.enqueue("bench.pickup", BenchmarkJobs.nowMicros()));
		if (!warm.await(1, TimeUnit.MINUTES)) {
			throw new IllegalStateException("Pickup warm-up jobs did not complete");
		}
		node.jobs.pickupMicros.clear();
		Thread.sleep(1000);
		long before = RedisUnderTest.sum(this.redis.callsByCommand(), "");
		long idleStart = System.nanoTime();
		Thread.sleep(5000);
		double idleCalls = (RedisUnderTest.sum(this.redis.callsByCommand(), "") - before - 1)
				/ ((System.nanoTime() - idleStart) / 1e9);
		figure("idle_worker_redis_commands_per_s", String.format(Locale.ROOT, "%.1f", idleCalls));
		// A pickup from an empty queue takes paths a burst rarely does (the wake-up's delivery,
		// the dispatcher's wait, a claim of one job). Running pickups one at a time, each once
		// the last started, has those paths compiled as in a running service; with pickups paced
		// 5 ms apart instead, the JIT compiled for seconds in the first rounds and kept promoting
		// methods for a minute, which the rounds' p99 timed.
		for (int i = 0; i < PICKUP_WARM_UP; i++) {
			CountDownLatch one = node.expect(1);
			node.client.enqueue("bench.pickup", BenchmarkJobs.nowMicros());
			if (!one.await(1, TimeUnit.MINUTES)) {
				throw new IllegalStateException("A pickup warm-up job did not start");
			}
		}
		PickupRound round = pickupRound(node);
		idleRoundTrip(node);
		idleThreadWake();
		figure("pickup_latency_p50_ms", millis(round.p50()));
		figure("pickup_latency_p99_ms", millis(round.p99()));
		// The caller's part (the arguments written, the script's round trip, which publishes the
		// wake-up) against the whole: the rest is the wake-up's delivery, the claim's round trip and
		// the hand-over to a job thread.
		figure("pickup_enqueue_call_p50_ms", millis(round.enqueueP50()));
		figure("pickup_enqueue_call_p99_ms", millis(round.enqueueP99()));
		figure("pickup_jit_compile_ms", round.compileMillis() + " (the JIT's compile time while the pickups were timed)");
		figure("pickup_other_cpu_share", round.otherCpu() + " (cores other processes took while the pickups were timed;"
				+ " on 2 cores their bursts make the p99)");
		long stopStart = System.nanoTime();
		worker.stop(Duration.ofSeconds(30));
		figure("idle_stop_ms", String.format(Locale.ROOT, "%.2f", (System.nanoTime() - stopStart) / 1e6));
		if (worker.state() != WorkerState.STOPPED) {
			throw new IllegalStateException("Worker did not stop");
		}
	}

	private PickupRound pickupRound(WorkerNode node) throws InterruptedException {
		int samples = 1000;
		node.jobs.pickupMicros.clear();
		CountDownLatch done = node.expect(samples);
		long compileStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
		OtherCpu other = new OtherCpu(this.redis);
		long interval = TimeUnit.MILLISECONDS.toNanos(5);
		long next = System.nanoTime();
		long[] enqueues = new long[samples];
		for (int i = 0; i < samples; i++) {
			LockSupport.parkNanos(next - System.nanoTime());
			next += interval;
			long start = System.nanoTime();
			node.client.enqueue("bench.pickup", BenchmarkJobs.nowMicros());
			enqueues[i] = (System.nanoTime() - start) / 1000;
		}
		if (!done.await(1, TimeUnit.MINUTES)) {
			throw new IllegalStateException("Pickup jobs did not complete");
		}
		long compileMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compileStart;
		String otherCpu = other.since();
		long[] latencies = node.jobs.pickupMicros.stream().mapToLong(Long::longValue).sorted().toArray();
		Arrays.sort(enqueues);
		return new PickupRound(percentile(latencies, 0.50), percentile(latencies, 0.99), percentile(enqueues, 0.50),
				percentile(enqueues, 0.99), compileMillis, otherCpu);
	}

	/**
	 * One round of paced pickups: their latencies, the enqueue calls' and the JIT's compile time
	 * meanwhile, in µs and ms, and the CPU other processes spent meanwhile, in cores.
	 */
	private record PickupRound(long p50, long p99, long enqueueP50, long enqueueP99, long compileMillis,
			String otherCpu) {
	}

	private void stopLatencies(WorkerNode node) throws Exception {
		GracefulWorker worker = node.worker(this.concurrency);
		int running = Math.min(this.concurrency, 64);
		CountDownLatch done = node.expect(running);
		for (int i = 0; i < running; i++) {
			node.client.enqueue("bench.sleep", 500L);
		}
		worker.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (worker.activeJobs().size() < running && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		worker.stop(Duration.ofSeconds(30));
		long stopped = System.nanoTime();
		if (!done.await(1, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Jobs did not finish during the drain");
		}
		figure("drain_overhead_ms", String.format(Locale.ROOT, "%.2f", (stopped - node.lastSuccessNanos.get()) / 1e6));
	}

	/**
	 * Redis memory a queued job takes, with records in the layout of the run and in each other.
	 */
	private void bytesPerQueuedJob(WorkerNode node) throws Exception {
		figure("redis_bytes_per_queued_job", bytesPerQueuedJob(node, WorkerNode.recordLayout));
		for (RedisRecordLayout layout : List.of(RedisRecordLayout.JSON, RedisRecordLayout.COMPACT)) {
			if (layout != WorkerNode.recordLayout) {
				figure("redis_bytes_per_queued_job_" + layout.name().toLowerCase(Locale.ROOT) + "_records",
						bytesPerQueuedJob(node, layout));
			}
		}
		node.queue.setRecordLayout(WorkerNode.recordLayout);
	}

	private String bytesPerQueuedJob(WorkerNode node, RedisRecordLayout layout) throws Exception {
		int count = 100_000;
		node.queue.setRecordLayout(layout);
		try (RedisConnection connection = node.connectionFactory.getConnection()) {
			connection.serverCommands().flushDb();
		}
		node.joinFleet();
		long before = this.redis.usedMemory();
		parallel(this.concurrency, count, (i) -> node.client.enqueue("bench.noop"));
		long after = this.redis.usedMemory();
		try (RedisConnection connection = node.connectionFactory.getConnection()) {
			connection.serverCommands().flushDb();
		}
		return ratio(after - before, count);
	}

	private static void parallel(int threads, int tasks, Task task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			AtomicLong next = new AtomicLong();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					long i;
					while ((i = next.getAndIncrement()) < tasks) {
						task.run(i);
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static long percentile(long[] sorted, double p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
	}

	private static String millis(long micros) {
		return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
	}

	private static String rate(long count, long nanos) {
		return String.format(Locale.ROOT, "%.0f", count / (nanos / 1e9));
	}

	private static String ratio(long value, long per) {
		return String.format(Locale.ROOT, "%.2f", (double) value / per);
	}

	private void figure(String name, Object value) {
		System.out.println(name + ": " + value);
	}

	@FunctionalInterface
	interface Task {

		void run(long index) throws Exception;

	}

}
