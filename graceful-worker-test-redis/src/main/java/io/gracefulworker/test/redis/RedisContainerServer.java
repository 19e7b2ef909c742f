package io.gracefulworker.test.redis;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis 7 server in a Testcontainers container, used when a Docker engine is available.
 */
final class RedisContainerServer implements RedisServer {

	private final RedisContainer container = new RedisContainer(DockerImageName.parse("redis:7.4"));

	private String version;

	RedisContainerServer() {
		start();
	}

	@Override
	public String host() {
		return this.container.getHost();
	}

	@Override
	public int port() {
		return this.container.getFirstMappedPort();
	}

	@Override
	public String version() {
		return this.version;
	}

	@Override
	public String description() {
		return "Testcontainers " + this.container.getDockerImageName() + ", version " + this.version;
	}

	@Override
	public void stop() {
		this.container.getDockerClient().pauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void start() {
		if (!this.container.isRunning()) {
			this.container.start();
		}
		else {
			this.container.getDockerClient().unpauseContainerCmd(this.container.getContainerId()).exec();
		}
		try {
			String info = RespClient.command(host(), port(), "INFO", "server");
			this.version = info.lines()
				.filter((line) -> line.startsWith("redis_version:"))
				.map((line) -> line.substring("redis_version:".length()).trim())
				.findFirst()
				.orElse("unknown");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.container.stop();
	}

}
