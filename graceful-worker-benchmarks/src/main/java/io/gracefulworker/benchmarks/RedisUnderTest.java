package io.gracefulworker.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis the benchmarks run against: one given with {@code --redis}, or one started here (the
 * {@code redis-server} on the PATH, else the binary shipped in embedded-redis).
 */
final class RedisUnderTest implements AutoCloseable {

	final String host;

	final int port;

	final String source;

	private final @Nullable Process process;

	private final @Nullable String executable;

	private final LettuceConnectionFactory admin;

	private final @Nullable Path profiles;

	private long dumpedInstructions;

	private RedisUnderTest(String host, int port, String source, @Nullable String executable,
			@Nullable Process process) {
		this(host, port, source, executable, process, null);
	}

	private RedisUnderTest(String host, int port, String source, @Nullable String executable,
			@Nullable Process process, @Nullable Path profiles) {
		this.profiles = profiles;
		this.host = host;
		this.port = port;
		this.source = source;
		this.executable = executable;
		this.process = process;
		this.admin = connectionFactory();
	}

	static RedisUnderTest connect(String hostAndPort) {
		String[] parts = hostAndPort.split(":");
		return new RedisUnderTest(parts[0], Integer.parseInt(parts[1]), "given", null, null);
	}

	static RedisUnderTest start() throws IOException {
		String executable = onPath();
		String source = "redis-server on PATH";
		if (executable == null) {
			executable = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
			source = "embedded-redis binary";
		}
		int port = freePort();
		return new RedisUnderTest("127.0.0.1", port, source, executable, launch(executable, port));
	}

	/**
	 * Starts the {@code redis-server} on the PATH under valgrind's callgrind, whose count of the
	 * instructions Redis ran does not move with the machine's load as its CPU time does.
	 * @return the Redis, whose {@link #instructions()} are counted
	 */
	static RedisUnderTest startUnderCallgrind() throws IOException {
		String executable = onPath();
		String valgrind = onPath("valgrind");
		if (executable == null || valgrind == null || onPath("callgrind_control") == null) {
			throw new IllegalStateException("--redis-instructions needs redis-server and valgrind on the PATH"
					+ " (apt-get install redis-server valgrind)");
		}
		// Kept after the run: it holds a profile of each phase (dumpProfile) for callgrind_annotate.
		Path dir = Files.createTempDirectory("gwbench-callgrind-");
		int port = freePort();
		// Valgrind runs Redis in its own process, so the process's id is the one callgrind_control names.
		return new RedisUnderTest("127.0.0.1", port, "redis-server on PATH under callgrind", executable,
				launch(List.of(valgrind, "--tool=callgrind", "--callgrind-out-file=" + dir.resolve("callgrind.out")),
						executable, port, Duration.ofMinutes(1)),
				dir);
	}

	/**
	 * Writes the profile of what Redis ran since the last dump to a file of its own, named after
	 * the phase inside (callgrind zeroes its counters on a dump; {@link #instructions()} still
	 * counts from the start).
	 * @param phase what Redis ran since the last dump
	 * @return the file, for {@code callgrind_annotate}
	 */
	Path dumpProfile(String phase) {
		Path dir = this.profiles;
		if (this.process == null || dir == null) {
			throw new IllegalStateException("Profiles are written only by a Redis started under callgrind");
		}
		try {
			callgrindControl("--dump=" + phase);
			try (Stream<Path> files = Files.list(dir)) {
				Path dumped = files.filter((file) -> file.getFileName().toString().matches("callgrind\\.out\\.\\d+"))
					.max(Comparator.comparingInt((file) -> Integer
						.parseInt(file.getFileName().toString().substring("callgrind.out.".length()))))
					.orElseThrow(() -> new IllegalStateException("callgrind wrote no profile in " + dir));
				Matcher summary = Pattern.compile("(?m)^summary:\\s*(\\d+)").matcher(Files.readString(dumped));
				if (!summary.find()) {
					throw new IllegalStateException("No instruction total in " + dumped);
				}
				this.dumpedInstructions += Long.parseLong(summary.group(1));
				return dumped;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns the instructions Redis has run since it started, when it runs under callgrind.
	 * @return the instructions, all threads' together
	 */
	long instructions() {
		if (this.process == null || !this.source.endsWith("under callgrind")) {
			throw new IllegalStateException("Instructions are counted only for a Redis started under callgrind");
		}
		String output = callgrindControl("-e", "Ir");
		long total = this.dumpedInstructions;
		Matcher thread = Pattern.compile("(?m)^\\s*Th \\d+\\s+([\\d,]+)\\s*$").matcher(output);
		while (thread.find()) {
			total += Long.parseLong(thread.group(1).replace(",", ""));
		}
		return total;
	}

	private String callgrindControl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("callgrind_control"));
		command.addAll(List.of(arguments));
		command.add(String.valueOf(this.process.pid()));
		try {
			Process control = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(control.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (control.waitFor() != 0) {
				throw new IllegalStateException("callgrind_control failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts a replica of this Redis, when this run started it, and waits until it is in sync.
	 * @return the replica, which {@link Process#destroy()} stops
	 */
	Process startReplica() throws IOException {
		if (this.process == null || this.executable == null) {
			throw new IllegalStateException("The benchmark starts a replica only of a Redis it started");
		}
		int port = freePort();
		Process replica = launch(this.executable, port, "--replicaof", this.host,
				String.valueOf(this.port));
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!info("replication").getProperty("slave0", "").contains("state=online")) {
			if (System.nanoTime() > deadline) {
				replica.destroy();
				throw new IllegalStateException("The replica did not come in sync");
			}
			LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
		}
		return replica;
	}

	private static Process launch(String executable, int port, String... extra) throws IOException {
		return launch(List.of(), executable, port, Duration.ofSeconds(10), extra);
	}

	private static Process launch(List<String> wrapper, String executable, int port, Duration startup,
			String... extra) throws IOException {
		// A replica writes the master's snapshot to its directory; a temporary one keeps it out of
		// the working directory.
		Path dir = Files.createTempDirectory("gwbench-redis-");
		dir.toFile().deleteOnExit();
		List<String> command = new ArrayList<>(wrapper);
		command.addAll(List.of(executable, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
				"--appendonly", "no", "--dir", dir.toString(), "--dbfilename", "gwbench.rdb"));
		command.addAll(List.of(extra));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		// A harness stopped by a signal never reaches close(): the server would outlive it.
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "gwbench-redis-stop"));
		long deadline = System.nanoTime() + startup.toNanos();
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return process;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline || !process.isAlive()) {
					throw ex;
				}
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static @Nullable String onPath() {
		return onPath("redis-server");
	}

	private static @Nullable String onPath(String name) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, name);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

	LettuceConnectionFactory connectionFactory() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.host, this.port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	Properties info(String section) {
		try (RedisConnection connection = this.admin.getConnection()) {
			return connection.serverCommands().info(section);
		}
	}

	String version() {
		Properties server = info("server");
		String valkey = server.getProperty("valkey_version");
		// Valkey answers with the Redis version it is compatible with, and its own beside it.
		return server.getProperty("redis_version") + ((valkey != null) ? " (Valkey " + valkey + ")" : "");
	}

	/** Returns the calls of each command since the server started, scripts' inner calls included. */
	Map<String, Long> callsByCommand() {
		return byCommand("calls");
	}

	/**
	 * Returns the CPU time in µs of each command since the server started; a script's time
	 * includes its inner commands', which are counted under their own names too.
	 */
	Map<String, Long> microsByCommand() {
		return byCommand("usec");
	}

	private Map<String, Long> byCommand(String field) {
		Map<String, Long> values = new TreeMap<>();
		Properties stats = info("commandstats");
		for (String key : stats.stringPropertyNames()) {
			for (String part : stats.getProperty(key).split(",")) {
				if (part.startsWith(field + "=")) {
					values.put(key.replace("cmdstat_", ""), Long.parseLong(part.substring(field.length() + 1)));
				}
			}
		}
		return values;
	}

	/**
	 * Sums the calls of the commands whose name starts with the prefix.
	 * @param calls calls by command
	 * @param prefix the prefix, {@code ""} for every command, {@code "eval"} for the script calls
	 * (the round trips of the job queue)
	 * @return the sum
	 */
	static long sum(Map<String, Long> calls, String prefix) {
		return calls.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith(prefix))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	/** Returns the CPU time the Redis server has used, user and system, in seconds. */
	double cpuSeconds() {
		Properties cpu = info("cpu");
		return Double.parseDouble(cpu.getProperty("used_cpu_user")) + Double.parseDouble(cpu.getProperty("used_cpu_sys"));
	}

	/** Returns the CPU time the Redis server has used in the kernel (its reads and writes), in seconds. */
	double systemCpuSeconds() {
		return Double.parseDouble(info("cpu").getProperty("used_cpu_sys"));
	}

	long usedMemory() {
		return Long.parseLong(info("memory").getProperty("used_memory"));
	}

	boolean isStartedHere() {
		return this.process != null;
	}

	@Override
	public void close() {
		this.admin.destroy();
		if (this.process != null) {
			this.process.destroy();
		}
	}

}
