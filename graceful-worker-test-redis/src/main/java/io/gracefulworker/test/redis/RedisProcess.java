package io.gracefulworker.test.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

import org.springframework.util.FileSystemUtils;

/**
 * A {@code redis-server} child process on a free loopback port: the binary
 * {@code gw.test.redis-server} names, else the one on the PATH if there is one, otherwise the
 * one shipped in the {@code embedded-redis} test dependency.
 */
public final class RedisProcess implements RedisServer {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final Path executable;

	private final String source;

	private final int port;

	private final Path workDir;

	private final List<String> extraArgs;

	private final Path configFile;

	private volatile Process process;

	private String version;

	private String server = "";

	RedisProcess(List<String> extraArgs) {
		this(extraArgs, "");
	}

	/**
	 * Starts a server with a configuration file, which Sentinel needs (it rewrites it).
	 * @param extraArgs arguments after the file and the test support's own
	 * @param config the file's content
	 */
	RedisProcess(List<String> extraArgs, String config) {
		Optional<Path> named = RedisServers.forcedExecutable();
		Optional<Path> onPath = (named.isPresent() || RedisServers.forcedKind().equals("embedded")) ? Optional.empty()
				: findOnPath();
		this.executable = named.or(() -> onPath).orElseGet(RedisProcess::extractEmbedded);
		this.source = named.isPresent() ? "redis-server from gw.test.redis-server"
				: onPath.isPresent() ? "redis-server on PATH" : "redis-server from embedded-redis";
		this.port = freePort();
		this.extraArgs = List.copyOf(extraArgs);
		try {
			this.workDir = Files.createTempDirectory("gw-redis-" + this.port);
			// Kept across stop and start (a restart reads its AOF), removed when the JVM exits; so is
			// a server nobody stopped, which would otherwise outlive the test JVM.
			Path dir = this.workDir;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				Process running = this.process;
				if (running != null) {
					running.destroyForcibly();
				}
				FileSystemUtils.deleteRecursively(dir.toFile());
			}));
			this.configFile = this.workDir.resolve("redis.conf");
			Files.writeString(this.configFile, config);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		start();
	}

	@Override
	public String host() {
		return "127.0.0.1";
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public String version() {
		return this.version;
	}

	@Override
	public String description() {
		return this.source + " (" + this.executable + "), version " + this.version + this.server + ", port "
				+ this.port;
	}

	@Override
	public synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of(this.executable.toString(), this.configFile.toString(), "--port", String.valueOf(this.port),
				"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.workDir.toString(),
				"--protected-mode", "no"));
		command.addAll(this.extraArgs);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.workDir.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
		awaitPing();
	}

	@Override
	public synchronized void freeze() {
		signal("STOP");
	}

	@Override
	public synchronized void thaw() {
		signal("CONT");
	}

	private void signal(String signal) {
		if (this.process == null) {
			throw new IllegalStateException("redis-server is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(this.process.pid())).start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + signal + " failed for redis-server " + this.process.pid());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	private void awaitPing() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		IOException last = null;
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited at start: " + readLog());
			}
			try {
				String info = RespClient.command(host(), this.port, "INFO", "server");
				this.version = field(info, "redis_version").orElse("unknown");
				// Valkey answers with the Redis version it is compatible with, and its own beside it.
				this.server = field(info, "valkey_version").map((valkey) -> " (Valkey " + valkey + ")").orElse("");
				return;
			}
			catch (IOException ex) {
				last = ex;
				Thread.onSpinWait();
			}
		}
		throw new IllegalStateException("redis-server did not answer on port " + this.port + ": " + readLog(), last);
	}

	private static Optional<String> field(String info, String name) {
		return info.lines()
			.filter((line) -> line.startsWith(name + ":"))
			.map((line) -> line.substring(name.length() + 1).trim())
			.findFirst();
	}

	private String readLog() {
		try {
			return Files.readString(this.workDir.resolve("redis.log"));
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	private static Optional<Path> findOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "redis-server");
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	private static Path extractEmbedded() {
		try {
			return ExecutableProvider.newJarResourceProvider().get().toPath();
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("No redis-server on PATH and no embedded-redis binary for "
					+ System.getProperty("os.name") + "/" + System.getProperty("os.arch")
					+ ": install Redis 6.2 or newer, or run Docker", ex);
		}
	}

	/**
	 * Returns a loopback port nothing listens on now, for a server a test starts itself.
	 * @return the port
	 */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}


}
