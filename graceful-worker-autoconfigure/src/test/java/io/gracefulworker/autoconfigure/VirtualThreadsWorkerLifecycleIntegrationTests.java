package io.gracefulworker.autoconfigure;

import java.time.Duration;

import io.gracefulworker.JobClient;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker's lifecycle with its jobs on virtual threads ({@code spring.threads.virtual.enabled}
 * on Java 21 or newer): every test of {@link WorkerLifecycleIntegrationTests} (the drain, the
 * deadline's interrupt and requeue, checkpoints, pause and resume, restart), the jobs' threads
 * and their number at once.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsWorkerLifecycleIntegrationTests extends WorkerLifecycleIntegrationTests {

	private RedisServer server;

	@BeforeEach
	void runJobsOnVirtualThreads(RedisServer redis) {
		this.server = redis;
		System.setProperty("spring.threads.virtual.enabled", "true");
	}

	@AfterEach
	void runJobsOnPlatformThreads() {
		System.clearProperty("spring.threads.virtual.enabled");
	}

	@Test
	void jobsRunOnVirtualThreads() {
		try (ConfigurableApplicationContext context = TestApplication.start(this.server)) {
			JobClient client = context.getBean(JobClient.class);
			for (int i = 0; i < 3; i++) {
				client.enqueue("test.thread", "job-" + i);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> TestJobs.executions.size() == 3);
			assertThat(TestJobs.executions).extracting(Execution::values)
				.allSatisfy((values) -> assertThat(values.get(0)).asString().startsWith("VirtualThread["));
		}
	}

	@Test
	void noMoreJobsRunAtOnceThanTheConcurrency() {
		try (ConfigurableApplicationContext context = TestApplication.start(this.server,
				"graceful-worker.worker.concurrency=3")) {
			JobClient client = context.getBean(JobClient.class);
			for (int i = 0; i < 12; i++) {
				client.enqueue("test.overlap", "job-" + i, 200L);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> TestJobs.executions.size() == 12);
			assertThat(TestJobs.mostOverlapping).hasValue(3);
		}
	}

}
