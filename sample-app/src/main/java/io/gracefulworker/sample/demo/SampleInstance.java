package io.gracefulworker.sample.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the packaged sample app, run as a child process so that it can be sent real
 * signals.
 */
public final class SampleInstance implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Process process;

	private final int port;

	private final Path log;

	private long signalledAt;

	private SampleInstance(String name, Process process, int port, Path log) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts an instance and waits until its health endpoint answers.
	 * @param name a name for messages
	 * @param jar the sample's executable jar
	 * @param redisHost the Redis host
	 * @param redisPort the Redis port
	 * @param properties more {@code key=value} properties
	 * @return the running instance
	 */
	public static SampleInstance start(String name, Path jar, String redisHost, int redisPort, String... properties) {
		return start(name, jar,
				List.of("spring.data.redis.host=" + redisHost, "spring.data.redis.port=" + redisPort), properties);
	}

	/**
	 * Starts an instance and waits until its health endpoint answers.
	 * @param name a name for messages
	 * @param jar the sample's executable jar
	 * @param connection the {@code spring.data.redis.*} properties (standalone or cluster)
	 * @param properties more {@code key=value} properties
	 * @return the running instance
	 */
	public static SampleInstance start(String name, Path jar, List<String> connection, String... properties) {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString(), "--server.port=" + port,
				"--sample.embedded-redis.enabled=false", "--spring.main.banner-mode=off"));
		for (String property : connection) {
			command.add("--" + property);
		}
		for (String property : properties) {
			command.add("--" + property);
		}
		return launch(name, new ProcessBuilder(command), port);
	}

	/**
	 * Starts an instance from a command of the caller's (a container image's entrypoint, say)
	 * and waits until its health endpoint answers.
	 * @param name a name for messages
	 * @param process the command, with its environment and directory
	 * @param port the HTTP port the command makes the instance listen on
	 * @return the running instance
	 */
	public static SampleInstance launch(String name, ProcessBuilder process, int port) {
		try {
			Path log = Files.createTempFile("sample-" + name + "-", ".log");
			// Kept while this JVM runs (a failing test prints it), not after.
			log.toFile().deleteOnExit();
			SampleInstance instance = new SampleInstance(name,
					process.redirectErrorStream(true).redirectOutput(log.toFile()).start(), port, log);
			long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			while (instance.status("/actuator/health") != 200) {
				if (!instance.process.isAlive() || System.nanoTime() > deadline) {
					instance.close();
					throw new IllegalStateException("Instance " + name + " did not start:\n" + instance.log());
				}
				Thread.sleep(100);
			}
			return instance;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public String name() {
		return this.name;
	}

	public int status(String path) {
		try {
			return get(path).statusCode();
		}
		catch (RuntimeException ex) {
			return -1;
		}
	}

	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	public HttpResponse<String> post(String path) {
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	public HttpResponse<String> post(String path, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	public HttpResponse<String> delete(String path) {
		return send(HttpRequest.newBuilder(uri(path)).DELETE());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
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
	 * Returns the address of a path of this instance.
	 * @param path the path, from the root
	 * @return the address
	 */
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** Sends SIGTERM, as the kubelet does when a pod is replaced. */
	public void sigterm() {
		this.signalledAt = System.nanoTime();
		this.process.destroy();
	}

	/** Sends SIGKILL. */
	public void sigkill() {
		this.signalledAt = System.nanoTime();
		this.process.destroyForcibly();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Waits for the process to exit.
	 * @param timeout how long to wait
	 * @return how long after the last signal it exited
	 */
	public Duration awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("Instance " + this.name + " did not exit within " + timeout);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return Duration.ofNanos(System.nanoTime() - this.signalledAt);
	}

	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log)";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
