package io.gracefulworker.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Uses the Redis that {@code spring.data.redis.*} names, and otherwise starts an embedded Redis
 * on a free port, so the sample runs on a machine with only Java and never writes into a Redis
 * that merely happens to answer on 6379; {@code sample.embedded-redis.enabled=false} requires a
 * named one. The log says which Redis is used. The embedded server is stopped when the
 * context's beans are destroyed, after the worker's drain.
 */
class EmbeddedRedisStarter implements ApplicationListener<ApplicationEvent> {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisStarter.class);

	private static final List<String> NAMING_PROPERTIES = List.of("spring.data.redis.host", "spring.data.redis.port",
			"spring.data.redis.url", "spring.data.redis.cluster.nodes", "spring.data.redis.sentinel.nodes");

	private EmbeddedRedis server;

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			start(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.server != null) {
			if (prepared.getApplicationContext().getBeanFactory() instanceof DefaultListableBeanFactory beanFactory) {
				beanFactory.registerDisposableBean("sampleEmbeddedRedis", this.server::close);
			}
		}
	}

	private void start(ConfigurableEnvironment environment) {
		for (String property : NAMING_PROPERTIES) {
			if (environment.containsProperty(property)) {
				String host = environment.getProperty("spring.data.redis.host", "localhost");
				int port = environment.getProperty("spring.data.redis.port", Integer.class, 6379);
				boolean standalone = !environment.containsProperty("spring.data.redis.url")
						&& !environment.containsProperty("spring.data.redis.cluster.nodes")
						&& !environment.containsProperty("spring.data.redis.sentinel.nodes");
				logger.info("Using the Redis named by " + property + (standalone ? " at " + host + ":" + port : ""));
				if (standalone && !EmbeddedRedis.answers(host, port)) {
					logger.warn("No Redis answers at " + host + ":" + port + " yet; the worker retries until one does");
				}
				return;
			}
		}
		if (!environment.getProperty("sample.embedded-redis.enabled", Boolean.class, true)) {
			throw new IllegalStateException("No Redis is named and sample.embedded-redis.enabled=false: name one with"
					+ " spring.data.redis.host and spring.data.redis.port (or url, cluster or sentinel), or remove"
					+ " sample.embedded-redis.enabled=false to let the sample start an embedded Redis");
		}
		try {
			int port = freePort();
			this.server = EmbeddedRedis.start(port);
			environment.getPropertySources()
				.addFirst(new MapPropertySource("sampleEmbeddedRedis",
						Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", port)));
			logger.info("No Redis is named (spring.data.redis.host, port, url, cluster or sentinel): started an"
					+ " embedded Redis on 127.0.0.1:" + port + " for this run; it stops after the worker's drain");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start an embedded Redis", ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
