package io.gracefulworker.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A real Redis server started for one test class, which the test may stop and start again.
 */
public interface RedisServer extends AutoCloseable {

	String host();

	int port();

	/**
	 * Returns the server's version as reported by {@code INFO server}.
	 * @return the version, for example {@code 7.0.15}
	 */
	String version();

	/**
	 * Returns how the server was started, for logs.
	 * @return a short description
	 */
	String description();

	/**
	 * Stops the server; its data is kept only if it persists it.
	 */
	void stop();

	/**
	 * Starts the server again on the same port.
	 */
	void start();

	/**
	 * Stops the server for good and frees what it holds.
	 */
	@Override
	default void close() {
		stop();
	}

	/**
	 * Freezes the server (SIGSTOP), as a long pause or a partition would: connections stay open
	 * and nothing answers.
	 */
	default void freeze() {
		throw new UnsupportedOperationException(description() + " cannot be frozen");
	}

	/**
	 * Lets a frozen server go on (SIGCONT).
	 */
	default void thaw() {
		throw new UnsupportedOperationException(description() + " cannot be thawed");
	}

	/**
	 * Returns the Spring Boot properties that point a context at this server.
	 * @return {@code key=value} pairs
	 */
	default List<String> springProperties() {
		return List.of("spring.data.redis.host=" + host(), "spring.data.redis.port=" + port());
	}

	/**
	 * Deletes every key, for a test that starts from an empty server.
	 */
	default void flushAll() {
		try {
			RespClient.command(host(), port(), "FLUSHALL");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	default String hostAndPort() {
		return host() + ":" + port();
	}

}
