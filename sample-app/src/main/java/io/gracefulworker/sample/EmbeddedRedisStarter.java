package io.gracefulworker.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import redis.embedded.core.ExecutableProvider;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Starts an embedded Redis when nothing answers at {@code spring.data.redis.host:port}, so the
 * sample runs on a machine with only Java; {@code sample.embedded-redis.enabled=false} turns it
 * off. The server is stopped when the context's beans are destroyed, after the worker's drain.
 */
class EmbeddedRedisStarter implements ApplicationListener<ApplicationEvent> {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisStarter.class);

	private Process server;

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			start(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.server != null) {
			if (prepared.getApplicationContext().getBeanFactory() instanceof DefaultListableBeanFactory beanFactory) {
				beanFactory.registerDisposableBean("sampleEmbeddedRedis", this::stop);
			}
		}
	}

	private void start(ConfigurableEnvironment environment) {
		if (environment.containsProperty("spring.data.redis.cluster.nodes")
				|| environment.containsProperty("spring.data.redis.sentinel.nodes")
				|| environment.containsProperty("spring.data.redis.url")) {
			return;
		}
		String host = environment.getProperty("spring.data.redis.host", "localhost");
		int port = environment.getProperty("spring.data.redis.port", Integer.class, 6379);
		if (answers(host, port)) {
			return;
		}
		if (!environment.getProperty("sample.embedded-redis.enabled", Boolean.class, true)) {
			throw new IllegalStateException("No Redis answers at " + host + ":" + port
					+ " (spring.data.redis.host, spring.data.redis.port); start one there, or remove"
					+ " sample.embedded-redis.enabled=false to let the sample start an embedded Redis");
		}
		if (!host.equals("localhost") && !host.startsWith("127.")) {
			throw new IllegalStateException("No Redis answers at " + host + ":" + port
					+ " (spring.data.redis.host); an embedded Redis can only stand in for localhost");
		}
		try {
			// The binary shipped in embedded-redis, run as a plain child process: the library's
			// own RedisServer stops Redis from a JVM shutdown hook, that is at SIGTERM, before the
			// worker has drained.
			File executable = ExecutableProvider.newJarResourceProvider().get();
			this.server = new ProcessBuilder(executable.getAbsolutePath(), "--port", String.valueOf(port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			awaitAnswer(host, port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start an embedded Redis on port " + port, ex);
		}
		logger.info("No Redis answered at " + host + ":" + port + "; started an embedded Redis there"
				+ " (set sample.embedded-redis.enabled=false to require your own)");
	}

	private void awaitAnswer(String host, int port) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!answers(host, port)) {
			if (!this.server.isAlive() || System.nanoTime() > deadline) {
				throw new IllegalStateException("The embedded Redis did not start on port " + port);
			}
			Thread.onSpinWait();
		}
	}

	private void stop() {
		this.server.destroy();
		try {
			this.server.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
