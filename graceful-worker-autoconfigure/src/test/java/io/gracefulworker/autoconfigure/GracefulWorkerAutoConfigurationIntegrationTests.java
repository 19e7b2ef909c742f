package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.gracefulworker.Job;
import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequest;
import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRegistry;
import io.gracefulworker.redis.RedisJobQueue;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each branch of {@link GracefulWorkerAutoConfiguration}, with a real Redis behind it.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class GracefulWorkerAutoConfigurationIntegrationTests {

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void setUp(RedisServer redis) {
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DataRedisAutoConfiguration.class, GracefulWorkerAutoConfiguration.class))
			.withPropertyValues(redis.springProperties().toArray(String[]::new));
	}

	@Test
	void beansArePresentAndTheWorkerRuns() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(JobClient.class)
				.hasSingleBean(JobQueue.class)
				.hasSingleBean(JobRegistry.class)
				.hasSingleBean(GracefulWorker.class);
			assertThat(context.getBean(JobQueue.class)).isInstanceOf(RedisJobQueue.class);
			assertThat(context.getBean(Worker.class).state()).isEqualTo(WorkerState.RUNNING);
		});
	}

	@Test
	void startupWarnsAboutEveryJobWhoseQueueThisWorkerDoesNotConsume(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(BulkJobs.class)
			.withPropertyValues("graceful-worker.worker.queues.default=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("Jobs [bulk.load, bulk.purge] use queue 'bulk', which this worker does not"
						+ " consume (it consumes [default])")
					.contains("set graceful-worker.worker.queues.bulk=1")
					.doesNotContain("Jobs [bulk.tidy]");
			});
	}

	@Test
	void startupWarnsOnceAboutABeanThatCallsItsOwnJobMethod(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(SelfCalling.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsOnlyOnce("[SelfCalling.handle] call the job method "
					+ SelfCalling.class.getName() + ".send(String) of their own class");
		});
	}

	@Test
	void producerOnlyApplicationsDoNotWarnAboutQueuesTheyDoNotConsume(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(BulkJobs.class)
			.withPropertyValues("graceful-worker.worker.enabled=false")
			.run((context) -> assertThat(output).doesNotContain("use queue 'bulk'"));
	}

	@Test
	void nothingIsConfiguredWithoutARedisConnectionFactory() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(GracefulWorkerAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(JobClient.class).doesNotHaveBean(Worker.class));
	}

	@Test
	void workerDisabledStartsNoWorkerButStillEnqueues() {
		this.contextRunner.withPropertyValues("graceful-worker.worker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(Worker.class).hasSingleBean(JobClient.class);
			JobId id = context.getBean(JobClient.class)
				.enqueue(JobRequest.of("anything", "x").queue("producer-only-" + System.nanoTime()));
			assertThat(id.value()).isNotEmpty();
		});
	}

	@Test
	void backsOffForAUsersJobClientAndWorker() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(JobClient.class).hasSingleBean(Worker.class);
			assertThat(context.getBean(JobClient.class)).isSameAs(UserBeans.CLIENT);
			assertThat(context).doesNotHaveBean(GracefulWorker.class);
		});
	}

	@Test
	void propertiesReachTheWorker() {
		this.contextRunner
			.withPropertyValues("graceful-worker.worker.concurrency=3", "graceful-worker.worker.queues.a=2",
					"graceful-worker.worker.queues.b=1", "graceful-worker.worker.lease-duration=9s",
					"graceful-worker.worker.phase=42")
			.run((context) -> {
				GracefulWorker worker = context.getBean(GracefulWorker.class);
				assertThat(worker.settings().concurrency()).isEqualTo(3);
				assertThat(worker.settings().queues()).containsOnlyKeys("a", "b");
				assertThat(worker.settings().heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
				assertThat(worker.getPhase()).isEqualTo(42);
			});
	}

	@Test
	void twoJobsWithOneNameFailTheStartupNamingBothMethods() {
		this.contextRunner.withUserConfiguration(DuplicateNames.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("the job name 'same' is already used by")
				.hasMessageContaining("DuplicateNames.first(String)")
				.hasMessageContaining("DuplicateNames.second(String)");
		});
	}

	@Test
	void jobReturningAValueFailsTheStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(ReturnsValue.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("@Job method " + ReturnsValue.class.getName() + ".compute(int) is invalid")
				.hasMessageContaining("must return void");
		});
	}

	@Test
	void jobWithAParameterJacksonCannotReadBackFailsTheStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(UnreadableParameter.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(UnreadableParameter.class.getName() + ".run(Runnable)")
				.hasMessageContaining("parameter 0 cannot be stored as JSON");
		});
		this.contextRunner.withUserConfiguration(ObjectParameter.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("type Object");
		});
	}

	@Test
	void leaseShorterThanThreeHeartbeatsFailsTheStartupNamingTheProperties() {
		this.contextRunner
			.withPropertyValues("graceful-worker.worker.lease-duration=2s",
					"graceful-worker.worker.heartbeat-interval=1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("graceful-worker.worker.lease-duration")
					.hasMessageContaining("graceful-worker.worker.heartbeat-interval");
			});
	}

	@Test
	void requeueReserveThatDoesNotFitInThePhaseTimeoutFailsTheStartupNamingTheProperties() {
		this.contextRunner
			.withPropertyValues("graceful-worker.worker.shutdown.requeue-reserve=10s",
					"spring.lifecycle.timeout-per-shutdown-phase=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("graceful-worker.worker.shutdown.requeue-reserve")
					.hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final JobClient CLIENT = (request) -> new JobId("user");

		@Bean
		JobClient userJobClient() {
			return CLIENT;
		}

		@Bean
		Worker userWorker() {
			return new UserWorker("user", WorkerState.STOPPED);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SelfCalling {

		@Job(name = "self.send")
		public void send(String text) {
		}

		public void handle(String text) {
			send(text);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BulkJobs {

		@Job(name = "bulk.load", queue = "bulk")
		public void load(String file) {
		}

		@Job(name = "bulk.purge", queue = "bulk")
		public void purge(String file) {
		}

		@Job(name = "bulk.tidy")
		public void tidy(String file) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateNames {

		@Job(name = "same")
		public void first(String value) {
		}

		@Job(name = "same")
		public void second(String value) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReturnsValue {

		@Job
		public int compute(int value) {
			return value;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnreadableParameter {

		@Job
		public void run(Runnable task) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ObjectParameter {

		@Job
		public void run(List<String> names, Object anything) {
		}

	}

}
