package io.gracefulworker.actuate;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.gracefulworker.Worker;
import io.gracefulworker.core.DrainOutcome;
import io.gracefulworker.core.JobDefinition;
import io.gracefulworker.core.JobOutcome;
import io.gracefulworker.core.TruncatedDrain;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.QueueStats;
import io.gracefulworker.core.WorkerListener;
import io.gracefulworker.core.WorkerView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Micrometer meters of the worker and the job client, under {@code graceful.worker.*}. Meters
 * of known jobs and queues are registered up front, because Spring Boot closes the registries
 * at {@code ContextClosedEvent}, before the worker drains.
 */
public class WorkerMetrics implements WorkerListener, SmartInitializingSingleton {

	private static final String PREFIX = "graceful.worker.";

	private static final String REQUEUED = "Jobs given back without counting an attempt";

	private final MeterRegistry registry;

	private final Map<String, Timer> jobTimers = new ConcurrentHashMap<>();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Supplier<@Nullable Worker> worker;

	private final Supplier<JobQueue> queue;

	private final Supplier<Collection<JobDefinition>> jobs;

	/**
	 * Creates the metrics; the meters are registered once every singleton exists, when all
	 * {@code @Job} methods are known.
	 * @param registry the registry
	 * @param worker the worker, or a supplier of {@code null} in a producer-only application
	 * @param queue the job queue, whose queues the worker consumes
	 * @param jobs the jobs this application defines
	 */
	public WorkerMetrics(MeterRegistry registry, Supplier<@Nullable Worker> worker, Supplier<JobQueue> queue,
			Supplier<Collection<JobDefinition>> jobs) {
		this.registry = registry;
		this.worker = worker;
		this.queue = queue;
		this.jobs = jobs;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (JobDefinition job : this.jobs.get()) {
			enqueueCounter(job.name(), job.queue());
			for (JobOutcome outcome : JobOutcome.values()) {
				jobTimer(job.name(), job.queue(), outcome);
			}
			for (DrainOutcome outcome : DrainOutcome.values()) {
				drainedJobCounter(job.name(), outcome);
			}
		}
		Worker current = this.worker.get();
		if (current != null) {
			bind(WorkerView.of(current));
		}
	}

	private void bind(WorkerView worker) {
		QueueStatsCache queues = new QueueStatsCache(this.queue.get(), worker::queues);
		Gauge.builder(PREFIX + "jobs.active", worker, (w) -> w.activeJobs().size())
			.strongReference(true)
			.description("Jobs this worker runs now")
			.register(this.registry);
		for (String queue : worker.queues()) {
			queueGauge(queues, queue, "ready", QueueStats::ready);
			queueGauge(queues, queue, "scheduled", QueueStats::scheduled);
			queueGauge(queues, queue, "leased", QueueStats::leased);
			queueGauge(queues, queue, "dead", QueueStats::dead);
			Gauge.builder(PREFIX + "queue.latency", queues, (cache) -> {
				Duration age = stats(cache, queue).oldestReadyAge();
				return (age != null) ? age.toMillis() / 1000.0 : 0;
			})
				.strongReference(true)
				.tag("queue", queue)
				.baseUnit("seconds")
				.description("How long the oldest ready job of the queue has waited")
				.register(this.registry);
			counter("recovered", queue, "Jobs of dead workers moved back to ready");
			counter("requeued", queue, REQUEUED);
			trimCounter(queue, "succeeded");
			trimCounter(queue, "dead");
		}
		truncatedDrains();
		for (String outcome : new String[] { "drained", "deadline" }) {
			Timer.builder(PREFIX + "drain")
				.tag("outcome", outcome)
				.description("Drains of the worker on stop")
				.register(this.registry);
		}
	}

	private void queueGauge(QueueStatsCache queues, String queue, String state, ToDoubleFunction<QueueStats> value) {
		Gauge.builder(PREFIX + "queue.size", queues, (cache) -> value.applyAsDouble(stats(cache, queue)))
			.strongReference(true)
			.tags("queue", queue, "state", state)
			.description("Jobs of the queue in the state")
			.register(this.registry);
	}

	private static QueueStats stats(QueueStatsCache queues, String queue) {
		try {
			QueueStats stats = queues.stats().get(queue);
			return (stats != null) ? stats : QueueStats.EMPTY;
		}
		catch (RuntimeException ex) {
			return QueueStats.EMPTY;
		}
	}

	@Override
	public void enqueued(String job, String queue) {
		enqueueCounter(job, queue).increment();
	}

	@Override
	public void executed(String job, String queue, JobOutcome outcome, Duration duration) {
		jobTimer(job, queue, outcome).record(duration);
		if (outcome == JobOutcome.REQUEUED) {
			counter("requeued", queue, REQUEUED).increment();
		}
	}

	@Override
	public void handedOver(String queue) {
		counter("hand-offs", queue, "Jobs that enqueues handed over to this worker (worker.hand-off), run without a claim or given back")
			.increment();
	}

	@Override
	public void recovered(String queue, int count) {
		counter("recovered", queue, "Jobs of dead workers moved back to ready").increment(count);
	}

	@Override
	public void trimmed(String queue, int succeeded, int dead, long deadLeft) {
		trimCounter(queue, "succeeded").increment(succeeded);
		trimCounter(queue, "dead").increment(dead);
	}

	@Override
	public void truncatedDrain(TruncatedDrain truncated) {
		truncatedDrains().increment();
	}

	private Counter truncatedDrains() {
		return counter("drains.truncated", "Workers that vanished while they drained: killed before their shutdown"
				+ " phase ended");
	}

	@Override
	public void drainedJob(String job, DrainOutcome outcome) {
		drainedJobCounter(job, outcome).increment();
	}

	private Counter drainedJobCounter(String job, DrainOutcome outcome) {
		return counter("drain.jobs", "Jobs that ran while the worker drained, by what became of them", "job", job,
				"outcome", outcome.tagValue());
	}

	@Override
	public void afterCommitStoreFailed(String job, String queue, String outcome) {
		counter("enqueue.after-commit.failures", "Jobs whose store failed after their transaction committed: retried,"
				+ " or lost once the retries gave up", "job", job, "queue", queue, "outcome", outcome).increment();
	}

	@Override
	public void recurringFired(String job, int fired, int missed, int overlapping) {
		counter("recurring.fires", "Jobs fired by cron schedules", "job", job).increment(fired);
		if (missed > 0) {
			counter("recurring.skips", "Ticks of cron schedules skipped", "job", job, "reason", "missed")
				.increment(missed);
		}
		if (overlapping > 0) {
			counter("recurring.skips", "Ticks of cron schedules skipped", "job", job, "reason", "overlap")
				.increment(overlapping);
		}
	}

	@Override
	public void drained(boolean deadlineReached, Duration duration) {
		Timer.builder(PREFIX + "drain")
			.tag("outcome", deadlineReached ? "deadline" : "drained")
			.register(this.registry)
			.record(duration);
	}

	private Timer jobTimer(String job, String queue, JobOutcome outcome) {
		return this.jobTimers.computeIfAbsent(job + '\0' + queue + '\0' + outcome,
				(key) -> Timer.builder(PREFIX + "job")
					.tags("job", job, "queue", queue, "outcome", outcome.tagValue())
					.description("Executions of jobs by outcome")
					.register(this.registry));
	}

	private Counter enqueueCounter(String job, String queue) {
		return counter("enqueued", "Jobs stored by this application", "job", job, "queue", queue);
	}

	private Counter trimCounter(String queue, String state) {
		return counter("trimmed", "Ended jobs removed past their retention", "queue", queue, "state", state);
	}

	private Counter counter(String name, String queue, String description) {
		return counter(name, description, "queue", queue);
	}

	private Counter counter(String name, String description, String... tags) {
		return this.counters.computeIfAbsent(name + '\0' + String.join("\0", tags),
				(key) -> Counter.builder(PREFIX + name).tags(tags).description(description).register(this.registry));
	}

}
