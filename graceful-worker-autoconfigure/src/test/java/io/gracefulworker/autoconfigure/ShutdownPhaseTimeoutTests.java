package io.gracefulworker.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link ShutdownPhaseTimeout} finds the worker phase's timeout.
 */
class ShutdownPhaseTimeoutTests {

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void perPhaseTimeoutOfTheLifecycleProcessorWins() {
		DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
		processor.setTimeoutPerShutdownPhase(30_000);
		processor.setTimeoutForShutdownPhase(SmartLifecycle.DEFAULT_PHASE, 7_000);
		this.beanFactory.registerSingleton("lifecycleProcessor", processor);
		assertThat(new ShutdownPhaseTimeout(this.beanFactory, this.environment, SmartLifecycle.DEFAULT_PHASE).get())
			.isEqualTo(Duration.ofSeconds(7));
		assertThat(new ShutdownPhaseTimeout(this.beanFactory, this.environment, 42).get())
			.isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void propertyIsTheFallbackWithoutALifecycleProcessor() {
		this.environment.setProperty("spring.lifecycle.timeout-per-shutdown-phase", "12s");
		assertThat(new ShutdownPhaseTimeout(this.beanFactory, this.environment, 0).get())
			.isEqualTo(Duration.ofSeconds(12));
		assertThat(new ShutdownPhaseTimeout(this.beanFactory, new MockEnvironment(), 0).get())
			.isEqualTo(Duration.ofSeconds(30));
	}

}
