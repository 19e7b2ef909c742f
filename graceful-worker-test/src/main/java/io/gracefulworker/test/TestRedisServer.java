package io.gracefulworker.test;

import io.gracefulworker.test.redis.RedisServer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;

/**
 * The Redis server of a test's application context under {@link AutoConfigureTestRedis}: the
 * context's connection details, and the server to inspect or empty between tests.
 */
public class TestRedisServer implements DataRedisConnectionDetails, DisposableBean {

	private final RedisServer server;

	TestRedisServer(RedisServer server) {
		this.server = server;
	}

	public String host() {
		return this.server.host();
	}

	public int port() {
		return this.server.port();
	}

	/**
	 * Describes the server: how it was started, its version and port.
	 * @return the description
	 */
	public String description() {
		return this.server.description();
	}

	/**
	 * Deletes every key, for a test that needs an empty Redis while the context's worker runs
	 * on.
	 */
	public void flushAll() {
		this.server.flushAll();
	}

	@Override
	public Standalone getStandalone() {
		return Standalone.of(host(), port());
	}

	@Override
	public void destroy() {
		this.server.close();
	}

}
