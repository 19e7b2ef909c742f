package io.gracefulworker.autoconfigure;

import io.gracefulworker.Worker;
import io.gracefulworker.actuate.WorkerMetrics;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the worker's Micrometer meters.
 */
@AutoConfiguration(after = GracefulWorkerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, JobRegistry.class })
public final class GracefulWorkerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WorkerMetrics gracefulWorkerMetrics(MeterRegistry registry, ObjectProvider<Worker> worker,
			ObjectProvider<JobQueue> queue, ObjectProvider<JobRegistry> jobs) {
		return new WorkerMetrics(registry, worker::getIfAvailable, queue::getObject,
				() -> jobs.getObject().definitions());
	}

}
