package io.gracefulworker.test.redis;

import java.util.List;

import org.testcontainers.DockerClientFactory;

/**
 * Starts a real Redis server of the kind this machine supports: a Testcontainers container when
 * a Docker engine answers, otherwise a {@code redis-server} process on a free loopback port (the
 * one on the PATH, else the binary that {@code embedded-redis} ships).
 *
 * <p>The system property {@code gw.test.redis} forces a kind: {@code process}, {@code container}
 * or {@code embedded} (a process of the {@code embedded-redis} binary, Redis 6.2, even where
 * another is on the PATH).
 */
public final class RedisServers {

	private static Boolean dockerAvailable;

	private RedisServers() {
	}

	/**
	 * Starts a server; {@link RedisServer#close() close} it after use.
	 * @param extraArgs extra {@code redis-server} arguments, which only a process takes: with
	 * any, a process is started
	 * @return the running server
	 */
	public static RedisServer start(List<String> extraArgs) {
		String forced = forcedKind();
		if (forced.equals("container") || (forced.isEmpty() && extraArgs.isEmpty() && isDockerAvailable())) {
			return new RedisContainerServer();
		}
		return new RedisProcess(extraArgs);
	}

	/**
	 * Returns the kind {@code gw.test.redis} forces, or an empty string when it forces none.
	 * @return {@code process}, {@code container}, {@code embedded} or empty
	 */
	static String forcedKind() {
		String forced = System.getProperty("gw.test.redis", "");
		if (!forced.isEmpty() && !List.of("process", "container", "embedded").contains(forced)) {
			throw new IllegalArgumentException("gw.test.redis=" + forced
					+ " names no kind of Redis: set process, container or embedded, or leave it unset");
		}
		return forced;
	}

	private static synchronized boolean isDockerAvailable() {
		if (dockerAvailable == null) {
			try {
				dockerAvailable = DockerClientFactory.instance().isDockerAvailable();
			}
			catch (Throwable ex) {
				dockerAvailable = false;
			}
		}
		return dockerAvailable;
	}

}
