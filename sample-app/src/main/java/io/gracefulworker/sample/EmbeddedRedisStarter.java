package io.gracefulworker.sample;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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
		if (environment.containsProperty("spring.data.redis.cluster.nodes")
				|| environment.containsProperty("spring.data.redis.sentinel.nodes")
				|| environment.containsProperty("spring.data.redis.url")) {
			return;
		}
		String host = environment.getProperty("spring.data.redis.host", "localhost");
		int port = environment.getProperty("spring.data.redis.port", Integer.class, 6379);
		if (EmbeddedRedis.answers(host, port)) {
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
			this.server = EmbeddedRedis.start(port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start an embedded Redis on port " + port, ex);
		}
		logger.info("No Redis answered at " + host + ":" + port + "; started an embedded Redis there"
				+ " (set sample.embedded-redis.enabled=false to require your own)");
	}

}
