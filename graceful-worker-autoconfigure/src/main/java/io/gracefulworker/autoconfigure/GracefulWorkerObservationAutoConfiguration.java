package io.gracefulworker.autoconfigure;

import io.gracefulworker.actuate.ObservationJobObservation;
import io.gracefulworker.core.JobObservation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * an {@link io.micrometer.observation.Observation} around each enqueue and job execution.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class GracefulWorkerObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobObservation gracefulWorkerJobObservation(ObservationRegistry registry) {
		return new ObservationJobObservation(registry);
	}

}
