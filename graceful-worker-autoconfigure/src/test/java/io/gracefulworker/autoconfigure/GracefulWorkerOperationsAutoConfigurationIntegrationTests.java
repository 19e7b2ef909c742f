package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobRequest;
import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;
import io.gracefulworker.actuate.JobsEndpoint;
import io.gracefulworker.actuate.ObservationJobObservation;
import io.gracefulworker.actuate.WorkerEndpoint;
import io.gracefulworker.actuate.WorkerHealthIndicator;
import io.gracefulworker.actuate.WorkerMetrics;
import io.gracefulworker.core.Backoff;
import io.gracefulworker.core.DefaultJobOperations;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobCodec;
import io.gracefulworker.core.JobObservation;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRegistry;
import io.gracefulworker.core.WorkerSettings;
import io.gracefulworker.redis.RedisJobQueue;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each branch of the endpoint, health, metrics and observation auto-configurations.
 */
@ExtendWith(RedisExtension.class)
class GracefulWorkerOperationsAutoConfigurationIntegrationTests {

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void setUp(RedisServer redis) {
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					GracefulWorkerAutoConfiguration.class, GracefulWorkerEndpointAutoConfiguration.class,
					GracefulWorkerHealthContributorAutoConfiguration.class,
					GracefulWorkerMetricsAutoConfiguration.class, GracefulWorkerObservationAutoConfiguration.class))
			.withPropertyValues(redis.springProperties().toArray(String[]::new));
	}

	@Test
	void endpointIsPresentWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=worker")
			.run((context) -> assertThat(context).hasSingleBean(WorkerEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(WorkerEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=worker",
					"management.endpoint.worker.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerEndpoint.class));
	}

	@Test
	void endpointIsAbsentWithoutActuatorOnTheClasspath() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=worker")
			.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(WorkerEndpoint.class)
				.doesNotHaveBean(WorkerHealthIndicator.class)
				.hasSingleBean(GracefulWorker.class));
	}

	@Test
	void endpointIsAbsentWithoutAWorker() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=worker",
					"graceful-worker.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerEndpoint.class)
				.doesNotHaveBean(WorkerHealthIndicator.class));
	}

	@Test
	void jobsEndpointIsPresentWhenExposedEvenWithoutAWorker() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=jobs", "graceful-worker.worker.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(JobsEndpoint.class).hasSingleBean(JobOperations.class));
	}

	@Test
	void jobsEndpointIsAbsentWhenNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=worker")
			.run((context) -> assertThat(context).doesNotHaveBean(JobsEndpoint.class).hasSingleBean(WorkerEndpoint.class));
	}

	@Test
	void jobsEndpointAndOperationsBackOffForTheUsersOwn() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=jobs")
			.withUserConfiguration(UserJobs.class)
			.run((context) -> {
				assertThat(context).getBean(JobOperations.class).isSameAs(UserJobs.OPERATIONS);
				assertThat(context).getBean(JobsEndpoint.class).isSameAs(UserJobs.ENDPOINT);
			});
	}

	@Test
	void endpointBacksOffForAUsersEndpoint() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=worker")
			.withUserConfiguration(UserEndpoint.class)
			.run((context) -> assertThat(context).getBean(WorkerEndpoint.class).isSameAs(UserEndpoint.ENDPOINT));
	}

	@Test
	void healthIndicatorIsUpWhileRunningOrPausedAndOutOfServiceOnceStopped() {
		this.contextRunner.run((context) -> {
			WorkerHealthIndicator indicator = context.getBean("workerHealthIndicator", WorkerHealthIndicator.class);
			Health health = indicator.health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", WorkerState.RUNNING);
			GracefulWorker worker = context.getBean(GracefulWorker.class);
			worker.pause();
			Health paused = indicator.health(true);
			assertThat(paused.getStatus()).isEqualTo(Status.UP);
			assertThat(paused.getDetails()).containsEntry("state", WorkerState.PAUSED);
			assertThat(worker.stop(Duration.ofSeconds(10))).isTrue();
			assertThat(indicator.health(true).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Test
	void endpointAndHealthShowTheStateOfAUserDefinedWorkerThatIsNoWorkerView() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=worker")
			.withUserConfiguration(UserWorkerConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(GracefulWorker.class);
				WorkerEndpoint.WorkerDescriptor shown = context.getBean(WorkerEndpoint.class).worker();
				assertThat(shown.getWorkerId()).isEqualTo("user-worker");
				assertThat(shown.getState()).isEqualTo(WorkerState.PAUSED);
				assertThat(shown.getActiveJobs()).isEmpty();
				Health health = context.getBean("workerHealthIndicator", WorkerHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("state", WorkerState.PAUSED);
				context.getBean(WorkerEndpoint.class).control("resume");
				assertThat(context.getBean(WorkerEndpoint.class).worker().getState()).isEqualTo(WorkerState.RUNNING);
			});
	}

	@Test
	void endpointShowsQueuesThatHoldReadyJobsButHaveNoLiveConsumer() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=worker")
			.run((context) -> {
				JobClient client = context.getBean(JobClient.class);
				client.enqueue(JobRequest.of("nobody.runs.this", "x").queue("bulk"));
				client.enqueue(JobRequest.of("nobody.runs.this", "y").queue("bulk"));
				WorkerEndpoint endpoint = context.getBean(WorkerEndpoint.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(endpoint.worker().getQueues().get("default").getConsumers())
						.isPositive());
				assertThat(endpoint.worker().getUnconsumedQueues()).containsExactly(Map.entry("bulk", 2L));
			});
	}

	@Test
	void endpointShowsEverythingOfAGracefulWorkerDeclaredAsAWorker() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=worker")
			.withUserConfiguration(UserGracefulWorker.class)
			.run((context) -> {
				WorkerEndpoint.WorkerDescriptor shown = context.getBean(WorkerEndpoint.class).worker();
				assertThat(shown.getWorkerId()).isEqualTo(context.getBean(Worker.class).id());
				assertThat(shown.getConcurrency()).isEqualTo(2);
				assertThat(shown.getQueues()).containsOnlyKeys("default");
			});
	}

	@Test
	void healthIndicatorIsAbsentWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.worker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerHealthIndicator.class));
	}

	@Test
	void healthIndicatorBacksOffForAUsersIndicator() {
		this.contextRunner.withUserConfiguration(UserHealth.class)
			.run((context) -> assertThat(context).doesNotHaveBean(WorkerHealthIndicator.class)
				.hasBean("workerHealthIndicator"));
	}

	@Test
	void metricsArePresentWithAMeterRegistryAndRegisteredAtStartup() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(WorkerMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("graceful.worker.jobs.active").gauge()).isNotNull();
			assertThat(registry.find("graceful.worker.queue.size").tags("queue", "default", "state", "ready").gauge())
				.isNotNull();
			assertThat(registry.find("graceful.worker.drain").tag("outcome", "deadline").timer()).isNotNull();
			assertThat(registry.find("graceful.worker.requeued").tag("queue", "default").counter()).isNotNull();
		});
	}

	@Test
	void metricsAreAbsentWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(WorkerMetrics.class));
	}

	@Test
	void observationIsPresentWithAnObservationRegistry() {
		this.contextRunner.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.run((context) -> assertThat(context).getBean(JobObservation.class)
				.isInstanceOf(ObservationJobObservation.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserJobs {

		// Never connected: the test only checks which beans the context holds.
		static final JobOperations OPERATIONS = new DefaultJobOperations(
				new RedisJobQueue(new LettuceConnectionFactory(), "user"), Set::of);

		static final JobsEndpoint ENDPOINT = new JobsEndpoint(OPERATIONS);

		@Bean
		JobOperations userJobOperations() {
			return OPERATIONS;
		}

		@Bean
		JobsEndpoint userJobsEndpoint() {
			return ENDPOINT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserEndpoint {

		static final WorkerEndpoint ENDPOINT = new WorkerEndpoint(null, null, List::of, List::of);

		@Bean
		WorkerEndpoint userWorkerEndpoint() {
			return ENDPOINT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserWorkerConfiguration {

		@Bean
		Worker userWorker() {
			return new UserWorker("user-worker", WorkerState.PAUSED);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserGracefulWorker {

		@Bean
		Worker userWorker(JobQueue queue, JobRegistry registry, JobCodec codec) {
			WorkerSettings settings = new WorkerSettings("user-graceful", 2, Map.of("default", 1),
					Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 3,
					Duration.ofSeconds(10), Duration.ofMinutes(15), null, SmartLifecycle.DEFAULT_PHASE, false);
			return new GracefulWorker(queue, registry, codec,
					new Backoff(Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 0.2), settings,
					() -> Duration.ofSeconds(30), (name) -> {
						throw new IllegalStateException("no jobs");
					}, null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealth {

		@Bean
		HealthIndicator workerHealthIndicator() {
			return () -> Health.up().build();
		}

	}

}
