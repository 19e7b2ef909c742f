package io.gracefulworker.test.redis;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * JUnit extension that gives each test class its own real Redis server: a Testcontainers
 * container when Docker is available, otherwise a {@code redis-server} child process on a free
 * port (see {@link RedisServers}). Inject it as a {@link RedisServer} parameter, and a
 * {@link LettuceConnectionFactory} connected to it (one per class, made when first asked for,
 * destroyed before the server stops).
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
		LettuceConnectionFactory factory = context.getStore(NAMESPACE)
			.remove(LettuceConnectionFactory.class, LettuceConnectionFactory.class);
		if (factory != null) {
			factory.destroy();
		}
		RedisServer server = context.getStore(NAMESPACE).remove(RedisServer.class, RedisServer.class);
		if (server != null) {
			server.close();
		}
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		Class<?> type = parameterContext.getParameter().getType();
		return type == RedisServer.class || type == LettuceConnectionFactory.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		ExtensionContext.Store store = classContext(extensionContext).getStore(NAMESPACE);
		RedisServer server = store.get(RedisServer.class, RedisServer.class);
		if (parameterContext.getParameter().getType() == LettuceConnectionFactory.class) {
			return store.computeIfAbsent(LettuceConnectionFactory.class, (key) -> RedisConnections.create(server),
					LettuceConnectionFactory.class);
		}
		return server;
	}

	private static ExtensionContext classContext(ExtensionContext context) {
		ExtensionContext current = context;
		while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
			current = current.getParent().get();
		}
		return current;
	}

}
