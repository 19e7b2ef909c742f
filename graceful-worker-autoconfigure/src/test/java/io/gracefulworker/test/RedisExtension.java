package io.gracefulworker.test;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * JUnit extension that gives each test class its own real Redis server: a Testcontainers
 * container when Docker is available, otherwise a {@code redis-server} child process on a free
 * port. Inject it as a {@link RedisServer} parameter.
 *
 * <p>The system property {@code gw.test.redis} forces a kind: {@code process} or
 * {@code container}.
 */
public class RedisExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final Log logger = LogFactory.getLog(RedisExtension.class);

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

	private static Boolean dockerAvailable;

	@Override
	public void beforeAll(ExtensionContext context) {
		RedisServer server = start(List.of());
		logger.info("Redis for " + context.getRequiredTestClass().getSimpleName() + ": " + server.description());
		context.getStore(NAMESPACE).put(RedisServer.class, server);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
		if (server instanceof RedisContainerServer container) {
			container.close();
		}
		else if (server != null) {
			server.stop();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RedisServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return extensionContext.getStore(NAMESPACE).get(RedisServer.class, RedisServer.class);
	}

	/**
	 * Starts a server of the kind this machine supports.
	 * @param extraArgs extra {@code redis-server} arguments (process servers only)
	 * @return the running server
	 */
	public static RedisServer start(List<String> extraArgs) {
		String forced = System.getProperty("gw.test.redis", "");
		if (forced.equals("container") || (!forced.equals("process") && extraArgs.isEmpty() && isDockerAvailable())) {
			return new RedisContainerServer();
		}
		return new RedisProcess(extraArgs);
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
