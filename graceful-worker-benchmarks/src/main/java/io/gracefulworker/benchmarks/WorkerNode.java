package io.gracefulworker.benchmarks;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.gracefulworker.Job;
import io.gracefulworker.WorkerState;
import io.gracefulworker.core.Backoff;
import io.gracefulworker.core.DefaultJobClient;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.GracefulWorker;
import io.gracefulworker.core.JobCodec;
import io.gracefulworker.core.JobOutcome;
import io.gracefulworker.core.JobRegistry;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.WorkerIds;
import io.gracefulworker.core.WorkerListener;
import io.gracefulworker.core.WorkerSettings;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.redis.RedisJobQueue;
import io.gracefulworker.redis.RedisLeaseLayout;
import io.gracefulworker.redis.RedisOutcomeLayout;
import io.gracefulworker.redis.RedisRecordLayout;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The library's parts wired by hand, as the auto-configuration would, without a Spring context:
 * a job queue, a client and a worker on one connection factory.
 */
final class WorkerNode implements AutoCloseable {

	static final String QUEUE = "bench";

	final LettuceConnectionFactory connectionFactory;

	final RedisJobQueue queue;

	final DefaultJobClient client;

	final BenchmarkJobs jobs = new BenchmarkJobs();

	final AtomicLong successes = new AtomicLong();

	final AtomicLong lastSuccessNanos = new AtomicLong();

	private final JobRegistry registry;

	private final JobCodec codec = new JobCodec();

	/** The calls made to see completions written, left out of the commands per job. */
	final AtomicLong completionPolls = new AtomicLong();

	private volatile CountDownLatch target = new CountDownLatch(0);

	/** What the library keeps of ended jobs by default (graceful-worker.retention.*). */
	static final JobRetention DEFAULT_RETENTION = new JobRetention(Duration.ofMinutes(5), 10_000, Duration.ofDays(7),
			10_000);

	WorkerNode(RedisUnderTest redis, String prefix) {
		this(redis, prefix, 0, DEFAULT_RETENTION);
	}

	/**
	 * Creates a node whose enqueues wait for replicas to acknowledge them.
	 * @param redis the Redis
	 * @param prefix the key prefix
	 * @param replicas replicas that must acknowledge each enqueue
	 * @param retention what the queue keeps of ended jobs
	 */
	WorkerNode(RedisUnderTest redis, String prefix, int replicas, JobRetention retention) {
		this.connectionFactory = redis.connectionFactory();
		this.queue = new RedisJobQueue(this.connectionFactory, prefix, replicas, Duration.ofSeconds(1), retention);
		this.queue.setRecordLayout(recordLayout);
		this.queue.setLeaseLayout(leaseLayout);
		this.queue.setOutcomeLayout(outcomeLayout);
		this.registry = new JobRegistry(this.codec, QUEUE, 3);
		for (Method method : BenchmarkJobs.class.getMethods()) {
			Job job = method.getAnnotation(Job.class);
			if (job != null) {
				this.registry.register("jobs", method, job);
			}
		}
		this.client = new DefaultJobClient(this.queue, this.registry, this.codec);
		joinFleet();
	}

	/**
	 * Lists a worker of this build in the fleet registry for the rest of the run, as a running
	 * service's fleet does, so that the 'auto' layouts write compact records, keep leases per
	 * worker and outcomes in lists as they would there. The enqueues and claims still pay for asking the registry.
	 */
	void joinFleet() {
		if (recordLayout == RedisRecordLayout.AUTO || leaseLayout == RedisLeaseLayout.AUTO
				|| outcomeLayout == RedisOutcomeLayout.AUTO) {
			Instant now = Instant.now();
			this.queue.publish(new FleetEntry("bench-fleet", "bench", null, WorkerState.RUNNING, now, 1, 0, List.of(),
					null, null, now), Duration.ofHours(1));
		}
	}

	/** Whether jobs run on virtual threads ({@code --virtual-threads}, Java 21 or newer). */
	static volatile boolean virtualThreads;

	/** How the records of new jobs are written in every queue of the run. */
	static volatile RedisRecordLayout recordLayout = RedisRecordLayout.AUTO;

	/** How claims keep their leases in every queue of the run. */
	static volatile RedisLeaseLayout leaseLayout = RedisLeaseLayout.AUTO;

	/** Where every queue of the run indexes its kept outcomes. */
	static volatile RedisOutcomeLayout outcomeLayout = RedisOutcomeLayout.AUTO;

	/** Whether workers register for jobs handed over by the enqueue. */
	static volatile boolean handOff;

	GracefulWorker worker(int concurrency) {
		WorkerSettings settings = new WorkerSettings(WorkerIds.generate(), concurrency, Map.of(QUEUE, 1),
				Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(5), 3,
				Duration.ofSeconds(10), Duration.ofMinutes(15), null, SmartLifecycle.DEFAULT_PHASE, virtualThreads,
				handOff);
		GracefulWorker worker = new GracefulWorker(this.queue, this.registry, this.codec,
				new Backoff(Duration.ofSeconds(1), 2, Duration.ofMinutes(1), 0.2), settings,
				() -> Duration.ofSeconds(30), (name) -> this.jobs, null);
		worker.setListener(new WorkerListener() {

			@Override
			public void executed(String job, String queue, JobOutcome outcome, Duration duration) {
				if (outcome == JobOutcome.SUCCESS) {
					WorkerNode.this.lastSuccessNanos.set(System.nanoTime());
					WorkerNode.this.successes.incrementAndGet();
					WorkerNode.this.target.countDown();
				}
			}

		});
		return worker;
	}

	/**
	 * Returns a latch that opens after the given number of further successful jobs.
	 * @param count the number of jobs
	 * @return the latch
	 */
	CountDownLatch expect(int count) {
		this.target = new CountDownLatch(count);
		return this.target;
	}

	/**
	 * Waits until no job of the queue is ready or leased: every completion is written in Redis
	 * (a completion removes the job's owner, whatever the lease layout; a kept outcome stays in
	 * the jobs hash).
	 */
	void awaitCompletionsWritten() {
		RedisJobKeys keys = this.queue.keys(QUEUE);
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			while (true) {
				this.completionPolls.addAndGet(2);
				Long leased = connection.hashCommands().hLen(keys.owners().getBytes(StandardCharsets.UTF_8));
				Long ready = connection.listCommands().lLen(keys.ready().getBytes(StandardCharsets.UTF_8));
				if ((leased == null || leased == 0) && (ready == null || ready == 0)) {
					return;
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Completions were not written");
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
	}

}
