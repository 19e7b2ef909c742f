package io.gracefulworker.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

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

	private RedisUnderTest(String host, int port, String source, @Nullable String executable,
			@Nullable Process process) {
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
		// A replica writes the master's snapshot to its directory; a temporary one keeps it out of
		// the working directory.
		Path dir = Files.createTempDirectory("gwbench-redis-");
		dir.toFile().deleteOnExit();
		List<String> command = new ArrayList<>(List.of(executable, "--port", String.valueOf(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename",
				"gwbench.rdb"));
		command.addAll(List.of(extra));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
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

	private static String onPath() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "redis-server");
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
		return info("server").getProperty("redis_version");
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
