package io.gracefulworker.test;

import io.gracefulworker.autoconfigure.GracefulWorkerAutoConfiguration;
import io.gracefulworker.core.InlineJobRunner;
import io.gracefulworker.core.JobCodec;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRegistry;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration}
 * imported by {@link AutoConfigureCapturedJobs}: a {@link JobQueue} that captures jobs in memory
 * in place of the Redis one, and the {@link CapturedJobs} that asserts and runs them.
 */
@AutoConfiguration(before = GracefulWorkerAutoConfiguration.class)
public final class CapturedJobsAutoConfiguration {

	@Bean
	CapturedJobs gracefulWorkerCapturedJobs(ObjectProvider<JobRegistry> registry, ObjectProvider<JobCodec> codec,
			BeanFactory beanFactory) {
		return new CapturedJobs(() -> new InlineJobRunner(registry.getObject(), codec.getObject(), beanFactory::getBean));
	}

	@Bean
	JobQueue gracefulWorkerCapturingJobQueue(CapturedJobs jobs) {
		return new CapturingJobQueue(jobs);
	}

}
