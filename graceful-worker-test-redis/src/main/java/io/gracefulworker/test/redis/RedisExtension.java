package io.gracefulworker.test.redis;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that gives each test class its own real Redis server: a Testcontainers
 * container when Docker is available, otherwise a {@code redis-server} child process on a free
 * port (see {@link RedisServers}). Inject it as a {@link RedisServer} parameter.
 */
public class RedisExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private static final Log logger = LogFactory.getLog(RedisExtension.class);

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

	@Override
	public void beforeAll(ExtensionContext context) {
		RedisServer server = RedisServers.start(List.of());
		logger.info("Redis for " + context.getRequiredTestClass().getSimpleName() + ": " + server.description());
		context.getStore(NAMESPACE).put(RedisServer.class, server);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
		if (server != null) {
			server.close();
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

}
