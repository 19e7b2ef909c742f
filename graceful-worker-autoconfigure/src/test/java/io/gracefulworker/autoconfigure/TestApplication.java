package io.gracefulworker.autoconfigure;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.gracefulworker.WorkerState;
import io.gracefulworker.WorkerStateChangedEvent;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.aop.framework.autoproxy.DefaultAdvisorAutoProxyCreator;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A small application with the {@link TestJobs}, started against a test's Redis.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {

	/** States the workers of test applications entered, in order. */
	public static final Queue<WorkerState> STATES = new ConcurrentLinkedQueue<>();

	@Bean
	TestJobs testJobs() {
		return new TestJobs();
	}

	@Bean
	Tenants tenantAcme() {
		return new Tenants("acme");
	}

	@Bean
	Tenants tenantGlobex() {
		return new Tenants("globex");
	}

	@Bean
	ApplicationListener<WorkerStateChangedEvent> workerStates() {
		return (event) -> STATES.add(event.getState());
	}

	@Bean
	static DefaultAdvisorAutoProxyCreator advisorAutoProxyCreator() {
		DefaultAdvisorAutoProxyCreator creator = new DefaultAdvisorAutoProxyCreator();
		creator.setProxyTargetClass(true);
		return creator;
	}

	@Bean
	DefaultPointcutAdvisor auditAdvisor() {
		return new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Audited.class, true),
				new AuditAdvice());
	}

	/**
	 * Starts the application against the server with extra properties.
	 * @param redis the server
	 * @param properties {@code key=value} pairs
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(RedisServer redis, String... properties) {
		return start(redis.springProperties(), properties);
	}

	/**
	 * Starts the application with the given connection properties and extra properties.
	 * @param connection the {@code spring.data.redis.*} properties
	 * @param properties {@code key=value} pairs
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(List<String> connection, String... properties) {
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties(connection.toArray(String[]::new))
			.properties("graceful-worker.worker.queues.default=1", "graceful-worker.worker.queues.slow=1",
					"graceful-worker.retry.initial-backoff=50ms", "graceful-worker.retry.jitter=0",
					"spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	/**
	 * Returns how many jobs enqueues handed over to the application's worker, from its meters.
	 * @param context the running context
	 * @return the count over all queues
	 */
	public static double handOffs(ConfigurableApplicationContext context) {
		return context.getBean(MeterRegistry.class)
			.find("graceful.worker.hand-offs")
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
