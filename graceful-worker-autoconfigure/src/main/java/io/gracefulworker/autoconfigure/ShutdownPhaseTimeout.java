package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.DirectFieldAccessor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.env.Environment;

/**
 * The shutdown timeout of the worker's lifecycle phase, as the application's
 * {@link DefaultLifecycleProcessor} will apply it: its per-phase timeout for that phase, else its
 * timeout per phase ({@code spring.lifecycle.timeout-per-shutdown-phase} in Spring Boot).
 */
final class ShutdownPhaseTimeout implements Supplier<Duration> {

	private static final Duration SPRING_DEFAULT = Duration.ofSeconds(30);

	private final BeanFactory beanFactory;

	private final Environment environment;

	private final int phase;

	ShutdownPhaseTimeout(BeanFactory beanFactory, Environment environment, int phase) {
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.phase = phase;
	}

	@Override
	public Duration get() {
		if (this.beanFactory.containsBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)) {
			Object processor = this.beanFactory.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME);
			if (processor instanceof DefaultLifecycleProcessor) {
				// Spring keeps these timeouts private; they are read so that a per-phase timeout of a
				// custom processor is honoured, with Boot's property as the fallback.
				try {
					DirectFieldAccessor fields = new DirectFieldAccessor(processor);
					Map<?, ?> perPhase = (Map<?, ?>) fields.getPropertyValue("timeoutsForShutdownPhases");
					Object timeout = (perPhase != null) ? perPhase.get(this.phase) : null;
					if (timeout == null) {
						timeout = fields.getPropertyValue("timeoutPerShutdownPhase");
					}
					if (timeout instanceof Long millis) {
						return Duration.ofMillis(millis);
					}
				}
				catch (RuntimeException ex) {
					// fall back to the property
				}
			}
		}
		return Binder.get(this.environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(SPRING_DEFAULT);
	}

}
