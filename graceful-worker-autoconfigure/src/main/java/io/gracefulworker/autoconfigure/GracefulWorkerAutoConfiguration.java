package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobOperations;
import io.gracefulworker.RecurringJobs;
import io.gracefulworker.Worker;
import io.gracefulworker.core.CompositeWorkerListener;
import io.gracefulworker.core.DefaultJobClient;
import io.gracefulworker.core.DefaultJobOperations;
import io.gracefulworker.core.DefaultRecurringJobs;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobAnnotationBeanPostProcessor;
import io.gracefulworker.core.JobCodec;
import io.gracefulworker.core.JobObservation;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRegistry;
import io.gracefulworker.core.RecurringScheduler;
import io.gracefulworker.core.RecurringStore;
import io.gracefulworker.core.WorkerListener;
import io.gracefulworker.core.WorkerSettings;
import io.gracefulworker.core.WorkerView;
import io.gracefulworker.redis.RedisJobQueue;
import io.gracefulworker.redis.RedisServerCheck;
import io.gracefulworker.redis.SentinelMasterSwitchListener;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for
 * Graceful Worker: the job registry, the Redis job queue, the {@link JobClient} and the
 * {@link Worker}.
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnClass({ RedisConnectionFactory.class, ObjectMapper.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@EnableConfigurationProperties(GracefulWorkerProperties.class)
public final class GracefulWorkerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	JobCodec gracefulWorkerJobCodec(ObjectProvider<JsonMapper> jsonMapper) {
		JsonMapper application = jsonMapper.getIfUnique();
		return (application != null) ? new JobCodec(application) : new JobCodec();
	}

	@Bean
	@ConditionalOnMissingBean
	JobRegistry gracefulWorkerJobRegistry(JobCodec codec, GracefulWorkerProperties properties) {
		return new JobRegistry(codec, properties.getDefaultQueue(), WorkerSettingsFactory.maxAttempts(properties));
	}

	@Bean
	static JobAnnotationBeanPostProcessor gracefulWorkerJobAnnotationBeanPostProcessor(
			ObjectProvider<JobRegistry> registry, ObjectProvider<JobClient> client) {
		return new JobAnnotationBeanPostProcessor(registry::getObject, client::getObject);
	}

	@Bean
	@ConditionalOnMissingBean
	JobQueue gracefulWorkerJobQueue(RedisConnectionFactory connectionFactory, GracefulWorkerProperties properties) {
		GracefulWorkerProperties.Enqueue enqueue = properties.getEnqueue();
		WorkerSettingsFactory.checkEnqueue(enqueue);
		RedisJobQueue queue = new RedisJobQueue(connectionFactory, properties.getKeyPrefix(), enqueue.getReplicas(),
				enqueue.getReplicaTimeout(), WorkerSettingsFactory.retention(properties));
		queue.setRecordLayout(enqueue.getRecordLayout());
		queue.setLeaseLayout(properties.getWorker().getLeaseLayout());
		queue.setOutcomeLayout(properties.getRetention().getOutcomeLayout());
		return queue;
	}

	@Bean
	@ConditionalOnMissingBean
	RedisServerCheck gracefulWorkerRedisServerCheck(RedisConnectionFactory connectionFactory) {
		return new RedisServerCheck(connectionFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	JobOperations gracefulWorkerJobOperations(JobQueue queue, JobRegistry registry,
			GracefulWorkerProperties properties) {
		return new DefaultJobOperations(queue, () -> knownQueues(registry, properties));
	}

	@Bean
	@ConditionalOnMissingBean
	RecurringJobs gracefulWorkerRecurringJobs(JobQueue queue, JobRegistry registry,
			GracefulWorkerProperties properties) {
		RecurringStore store = queue.recurring();
		Assert.state(store != null, "The JobQueue bean keeps no cron schedules (its recurring() is null)");
		return new DefaultRecurringJobs(store, registry, () -> knownQueues(registry, properties));
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "graceful-worker.worker.enabled", matchIfMissing = true)
	RecurringScheduler gracefulWorkerRecurringScheduler(JobQueue queue, JobRegistry registry,
			GracefulWorkerProperties properties, ObjectProvider<Worker> worker,
			ObjectProvider<WorkerListener> listeners, Environment environment) {
		RecurringScheduler scheduler = new RecurringScheduler(queue, registry,
				() -> RecurringOverrides.apply(registry.schedules().values(), environment),
				() -> worker.getObject().id(), () -> WorkerView.of(worker.getObject()).queues(),
				properties.getWorker().getPhase());
		scheduler.setListener(CompositeWorkerListener.of(listeners.orderedStream().toList()));
		return scheduler;
	}

	private static Set<String> knownQueues(JobRegistry registry, GracefulWorkerProperties properties) {
		Set<String> queues = new HashSet<>(properties.getWorker().getQueues().keySet());
		queues.add(properties.getDefaultQueue());
		registry.definitions().forEach((definition) -> queues.add(definition.queue()));
		return queues;
	}

	@Bean
	@ConditionalOnMissingBean
	JobClient gracefulWorkerJobClient(JobQueue queue, JobRegistry registry, JobCodec codec,
			GracefulWorkerProperties properties, ObjectProvider<WorkerListener> listeners,
			ObjectProvider<JobObservation> observation) {
		DefaultJobClient client = new DefaultJobClient(queue, registry, codec);
		client.setListener(CompositeWorkerListener.of(listeners.orderedStream().toList()));
		client.setAfterCommit(properties.getEnqueue().isAfterCommit(), properties.getEnqueue().getAfterCommitRetry());
		observation.ifUnique(client::setObservation);
		return client;
	}

	@Bean
	@ConditionalOnMissingBean(Worker.class)
	@ConditionalOnBooleanProperty(name = "graceful-worker.worker.enabled", matchIfMissing = true)
	GracefulWorker gracefulWorker(JobQueue queue, JobRegistry registry, JobCodec codec,
			GracefulWorkerProperties properties, ConfigurableListableBeanFactory beanFactory, Environment environment,
			ApplicationEventPublisher events, ObjectProvider<WorkerListener> listeners,
			ObjectProvider<JobObservation> observation, RedisConnectionFactory connectionFactory) {
		ShutdownPhaseTimeout phaseTimeout = new ShutdownPhaseTimeout(beanFactory, environment,
				properties.getWorker().getPhase());
		WorkerSettings settings = WorkerSettingsFactory.settings(properties, phaseTimeout.get(),
				Threading.VIRTUAL.isActive(environment));
		if (connectionFactory instanceof LettuceConnectionFactory lettuce) {
			WorkerSettingsFactory.checkCommandTimeout(Duration.ofMillis(lettuce.getTimeout()), settings);
		}
		GracefulWorker worker = new GracefulWorker(queue, registry, codec, WorkerSettingsFactory.retries(properties),
				settings, phaseTimeout, beanFactory::getBean, events);
		worker.setListener(CompositeWorkerListener.of(listeners.orderedStream().toList()));
		observation.ifUnique(worker::setObservation);
		worker.setApplicationVersion(environment.getProperty("spring.application.version"));
		return worker;
	}

	@Bean
	@ConditionalOnBean(LettuceConnectionFactory.class)
	@ConditionalOnProperty("spring.data.redis.sentinel.master")
	SentinelMasterSwitchListener gracefulWorkerSentinelMasterSwitchListener(
			LettuceConnectionFactory connectionFactory) {
		return new SentinelMasterSwitchListener(connectionFactory);
	}

	@Bean
	UnconsumedQueueReporter gracefulWorkerUnconsumedQueueReporter(JobRegistry registry,
			ObjectProvider<Worker> worker) {
		return new UnconsumedQueueReporter(registry, worker::getIfAvailable);
	}

}
