package io.gracefulworker.test;

import java.util.List;
import java.util.Map;

import io.gracefulworker.test.redis.RedisServer;
import io.gracefulworker.test.redis.RedisServers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Starts a Redis server for each application context of a test class annotated with
 * {@link AutoConfigureTestRedis} and points the context at it.
 */
class TestRedisContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureTestRedis.class)
				? new TestRedisContextCustomizer() : null;
	}

	/**
	 * Equal to every other, so that test classes that differ only in being annotated share a
	 * cached context; each context still gets its own server.
	 */
	static final class TestRedisContextCustomizer implements ContextCustomizer {

		private static final Log logger = LogFactory.getLog(TestRedisContextCustomizer.class);

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			RedisServer server = RedisServers.start(List.of());
			logger.info("Redis for " + config.getTestClass().getSimpleName() + ": " + server.description());
			TestRedisServer details = new TestRedisServer(server);
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("gracefulWorkerTestRedis",
						Map.of("spring.data.redis.host", server.host(), "spring.data.redis.port", server.port())));
			DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
			beanFactory.registerSingleton("gracefulWorkerTestRedisServer", details);
			// Destroyed with the beans, after the lifecycle stop that drains the worker.
			beanFactory.registerDisposableBean("gracefulWorkerTestRedisServer", details);
		}

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof TestRedisContextCustomizer;
		}

		@Override
		public int hashCode() {
			return TestRedisContextCustomizer.class.hashCode();
		}

	}

}
