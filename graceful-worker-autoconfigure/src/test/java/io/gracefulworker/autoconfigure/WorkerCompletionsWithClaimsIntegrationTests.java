package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobRequest;
import io.gracefulworker.core.CompletedAndClaimed;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.HandOffRegistration;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.redis.RedisJobQueue;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that claims as fast as its jobs finish writes their completions with its claims, one
 * call for both, and loses none of them when the store does not answer such a call.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class WorkerCompletionsWithClaimsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int JOBS = 2_000;

	private final RedisJobKeys keys = RedisJobKeys.of("gw", "default");

	private RedisServer redis;

	private ConfigurableApplicationContext inspector;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void setUp(RedisServer redis) {
		this.redis = redis;
		TestJobs.reset();
		CountingQueue.reset();
		this.inspector = TestApplication.start(redis, "graceful-worker.worker.enabled=false");
		redis().execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

	@AfterEach
	void tearDown() {
		if (this.context != null) {
			this.context.close();
		}
		this.inspector.close();
	}

	@Test
	void aWorkerWithABacklogWritesTheCompletionsOfItsJobsWithItsNextClaims(CapturedOutput output) {
		enqueueBacklog();
		this.context = TestApplication.start(List.of(CountingQueue.Config.class), this.redis.springProperties(),
				"graceful-worker.worker.concurrency=8");
		awaitAllCompletedOnce();
		assertThat(CountingQueue.carried.get()).as("completions written with a claim").isPositive();
		assertThat(output).doesNotContain("completion was refused", "completion could not be written");
	}

	@Test
	void completionsAClaimTookAreWrittenByTheCompleterWhenTheStoreDoesNotAnswerThatClaim(CapturedOutput output) {
		enqueueBacklog();
		CountingQueue.failures.set(3);
		this.context = TestApplication.start(List.of(CountingQueue.Config.class), this.redis.springProperties(),
				"graceful-worker.worker.concurrency=8");
		awaitAllCompletedOnce();
		assertThat(CountingQueue.failures.get()).as("claims with completions the store did not answer").isZero();
		assertThat(CountingQueue.rewritten.get()).as("completions of those claims written since").isPositive();
		assertThat(output).doesNotContain("completion was refused", "completion could not be written");
	}

	private void enqueueBacklog() {
		List<JobRequest> requests = new ArrayList<>(JOBS);
		for (int i = 0; i < JOBS; i++) {
			requests.add(JobRequest.of("test.where", "job-" + i));
		}
		this.inspector.getBean(JobClient.class).enqueueAll(requests);
	}

	private void awaitAllCompletedOnce() {
		await().atMost(WAIT).until(() -> this.context.getBean(JobQueue.class).stats("default").succeeded() == JOBS);
		assertThat(TestJobs.executions).hasSize(JOBS);
		assertThat(TestJobs.executions.stream().map(TestJobs.Execution::label).distinct()).hasSize(JOBS);
		assertThat(redis().opsForHash().size(this.keys.owners())).isZero();
		assertThat(redis().opsForList().size(this.keys.ready())).isZero();
	}

	private StringRedisTemplate redis() {
		return this.inspector.getBean(StringRedisTemplate.class);
	}

	/**
	 * The Redis job queue, counting the completions written with claims; it fails the first
	 * claims with completions it is told to, before they reach Redis, as a store that does not
	 * answer them.
	 */
	static class CountingQueue extends RedisJobQueue {

		static final AtomicInteger carried = new AtomicInteger();

		static final AtomicInteger failures = new AtomicInteger();

		static final AtomicInteger rewritten = new AtomicInteger();

		static final Set<String> failed = ConcurrentHashMap.newKeySet();

		CountingQueue(RedisConnectionFactory connectionFactory) {
			super(connectionFactory, "gw", 0, Duration.ZERO, new JobRetention(Duration.ofMinutes(5), 10_000,
					Duration.ofDays(7), 10_000));
		}

		static void reset() {
			carried.set(0);
			failures.set(0);
			rewritten.set(0);
			failed.clear();
		}

		@Override
		public CompletedAndClaimed completeAndClaim(String queue, Collection<FinishedJob> finished, int max,
				Duration lease, String tokenPrefix, @Nullable HandOffRegistration register,
				@Nullable HandOffRegistration pending, Duration registrationTtl) {
			if (failures.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				finished.forEach((job) -> failed.add(job.job().id()));
				throw new RedisConnectionFailureException("The test's store does not answer this claim");
			}
			carried.addAndGet(finished.size());
			countRewritten(finished);
			return super.completeAndClaim(queue, finished, max, lease, tokenPrefix, register, pending,
					registrationTtl);
		}

		@Override
		public Set<String> complete(String queue, Collection<FinishedJob> jobs) {
			countRewritten(jobs);
			return super.complete(queue, jobs);
		}

		private static void countRewritten(Collection<FinishedJob> jobs) {
			jobs.forEach((job) -> {
				if (failed.contains(job.job().id())) {
					rewritten.incrementAndGet();
				}
			});
		}

		@Configuration(proxyBeanMethods = false)
		static class Config {

			@Bean
			JobQueue countingJobQueue(RedisConnectionFactory connectionFactory) {
				return new CountingQueue(connectionFactory);
			}

		}

	}

}
