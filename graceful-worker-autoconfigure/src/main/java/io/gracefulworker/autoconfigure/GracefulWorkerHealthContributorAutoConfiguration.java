package io.gracefulworker.autoconfigure;

import java.time.Duration;

import io.gracefulworker.Worker;
import io.gracefulworker.actuate.WorkerHealthIndicator;
import io.gracefulworker.core.WorkerView;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the {@link WorkerHealthIndicator}, contributed as {@code worker}.
 */
@AutoConfiguration(after = GracefulWorkerAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Worker.class)
@ConditionalOnEnabledHealthIndicator("worker")
public final class GracefulWorkerHealthContributorAutoConfiguration {

	private static final Duration MIN_REDIS_TIMEOUT = Duration.ofSeconds(10);

	@Bean
	@ConditionalOnMissingBean(name = { "workerHealthIndicator", "workerHealthContributor" })
	WorkerHealthIndicator workerHealthIndicator(Worker worker, ObjectProvider<GracefulWorkerProperties> properties) {
		Duration recoveries = properties.getIfAvailable(GracefulWorkerProperties::new)
			.getWorker()
			.getRecoveryInterval()
			.multipliedBy(3);
		Duration timeout = (recoveries.compareTo(MIN_REDIS_TIMEOUT) > 0) ? recoveries : MIN_REDIS_TIMEOUT;
		return new WorkerHealthIndicator(WorkerView.of(worker), timeout);
	}

}
