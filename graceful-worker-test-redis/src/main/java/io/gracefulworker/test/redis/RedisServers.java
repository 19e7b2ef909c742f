package io.gracefulworker.test.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.testcontainers.DockerClientFactory;

/**
 * Starts a real Redis server of the kind this machine supports: a Testcontainers container when
 * a Docker engine answers, otherwise a {@code redis-server} process on a free loopback port (the
 * one on the PATH, else the binary that {@code embedded-redis} ships).
 *
 * <p>The system property {@code gw.test.redis} forces a kind: {@code process}, {@code container}
 * or {@code embedded} (a process of the {@code embedded-redis} binary, Redis 6.2, even where
 * another is on the PATH). The system property {@code gw.test.redis-server} names the binary a
 * process runs instead of the PATH's, such as {@code /usr/bin/valkey-server} or a Redis built
 * from source, and so forces a process.
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
		boolean named = forcedExecutable().isPresent();
		if (forced.equals("container") || (forced.isEmpty() && !named && extraArgs.isEmpty() && isDockerAvailable())) {
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

	/**
	 * Returns the binary {@code gw.test.redis-server} names, checked to be one a process can run.
	 * @return the binary, or empty when the property is unset
	 */
	static Optional<Path> forcedExecutable() {
		String named = System.getProperty("gw.test.redis-server", "");
		if (named.isEmpty()) {
			return Optional.empty();
		}
		String kind = forcedKind();
		if (!kind.isEmpty() && !kind.equals("process")) {
			throw new IllegalArgumentException("gw.test.redis-server=" + named + " names a binary for a process, but "
					+ "gw.test.redis=" + kind + ": set gw.test.redis=process or leave it unset");
		}
		Path executable = Path.of(named);
		if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
			throw new IllegalArgumentException("gw.test.redis-server=" + named
					+ " is not an executable file: name a redis-server or valkey-server binary");
		}
		return Optional.of(executable);
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
