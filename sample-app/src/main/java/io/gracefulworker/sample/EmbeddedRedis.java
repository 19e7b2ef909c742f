package io.gracefulworker.sample;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

/**
 * The Redis binary shipped in embedded-redis, run as a plain child process on loopback. The
 * library's own {@code RedisServer} stops Redis from a JVM shutdown hook, that is at SIGTERM,
 * before a worker has drained, so it is not used.
 */
public final class EmbeddedRedis implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private final Process process;

	private final int port;

	private EmbeddedRedis(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts Redis on the port and waits until it answers.
	 * @param port the port
	 * @return the running server
	 * @throws IOException if it cannot be started
	 */
	public static EmbeddedRedis start(int port) throws IOException {
		File executable = ExecutableProvider.newJarResourceProvider().get();
		Process process = new ProcessBuilder(executable.getAbsolutePath(), "--port", String.valueOf(port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (!answers("127.0.0.1", port)) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				process.destroyForcibly();
				throw new IOException("The embedded Redis did not start on port " + port);
			}
			Thread.onSpinWait();
		}
		return new EmbeddedRedis(process, port);
	}

	public int port() {
		return this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Returns whether something accepts connections at the address.
	 * @param host the host
	 * @param port the port
	 * @return whether it answers
	 */
	public static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
