package io.gracefulworker.autoconfigure;

import io.gracefulworker.JobOperations;
import io.gracefulworker.RecurringJobs;
import io.gracefulworker.Worker;
import io.gracefulworker.actuate.JobsEndpoint;
import io.gracefulworker.actuate.QueueStatsCache;
import io.gracefulworker.actuate.RecurringEndpoint;
import io.gracefulworker.actuate.WorkerEndpoint;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.WorkerView;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * the {@link WorkerEndpoint}, the {@link JobsEndpoint} and the {@link RecurringEndpoint}.
 */
@AutoConfiguration(after = GracefulWorkerAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class GracefulWorkerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ Worker.class, JobQueue.class })
	@ConditionalOnAvailableEndpoint(WorkerEndpoint.class)
	WorkerEndpoint workerEndpoint(Worker worker, JobQueue queue) {
		return new WorkerEndpoint(worker, new QueueStatsCache(queue, WorkerView.of(worker)::queues), queue::fleet,
				queue::truncatedDrains);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean({ RecurringJobs.class, JobQueue.class })
	@ConditionalOnAvailableEndpoint(RecurringEndpoint.class)
	RecurringEndpoint recurringEndpoint(RecurringJobs recurring, JobQueue queue) {
		return new RecurringEndpoint(recurring, queue);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(JobOperations.class)
	@ConditionalOnAvailableEndpoint(JobsEndpoint.class)
	JobsEndpoint jobsEndpoint(JobOperations operations) {
		return new JobsEndpoint(operations);
	}

}
