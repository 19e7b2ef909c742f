package io.gracefulworker.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;
import io.gracefulworker.core.ActiveJob;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.TruncatedDrain;
import io.gracefulworker.core.WorkerTotals;
import io.gracefulworker.core.WorkerView;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows the worker's state, its running jobs, its drain and its
 * queues, every live worker of the fleet, and can pause and resume it (write access is off unless
 * {@code management.endpoint.worker.access=unrestricted}). It never shows job arguments.
 */
@Endpoint(id = "worker", defaultAccess = Access.READ_ONLY)
public class WorkerEndpoint {

	private final Worker control;

	private final WorkerView worker;

	private final QueueStatsCache queues;

	private final Supplier<List<FleetEntry>> fleet;

	private final Supplier<List<TruncatedDrain>> truncatedDrains;

	/**
	 * Creates the endpoint.
	 * @param worker the worker, shown through its {@link WorkerView}
	 * @param queues the counts of its queues
	 * @param fleet the entries of the fleet registry
	 * @param truncatedDrains the latest drains cut short
	 */
	public WorkerEndpoint(Worker worker, QueueStatsCache queues, Supplier<List<FleetEntry>> fleet,
			Supplier<List<TruncatedDrain>> truncatedDrains) {
		this.fleet = fleet;
		this.truncatedDrains = truncatedDrains;
		this.control = worker;
		this.worker = WorkerView.of(worker);
		this.queues = queues;
	}

	@ReadOperation
	public WorkerDescriptor worker() {
		WorkerState state = this.worker.state();
		Instant since = this.worker.since();
		Instant now = Instant.now();
		List<ActiveJobDescriptor> active = this.worker.activeJobs()
			.stream()
			.map((job) -> new ActiveJobDescriptor(job, now))
			.toList();
		DrainDescriptor drain = this.worker.drain().map(DrainDescriptor::new).orElse(null);
		Map<String, QueueDescriptor> queues = new LinkedHashMap<>();
		Map<String, Long> unconsumed = Map.of();
		String queuesError = null;
		List<FleetMemberDescriptor> fleet = List.of();
		List<TruncatedDrain> truncated = List.of();
		try {
			this.queues.stats().forEach((name, stats) -> queues.put(name, new QueueDescriptor(stats)));
			unconsumed = this.queues.unconsumed();
			fleet = this.fleet.get().stream().map((entry) -> FleetMemberDescriptor.of(entry, now)).toList();
			truncated = this.truncatedDrains.get();
		}
		catch (RuntimeException ex) {
			queuesError = "The job store did not answer: " + ex.getMessage();
		}
		return new WorkerDescriptor(state, since, this.worker.id(), this.worker.concurrency(), active, drain, queues,
				unconsumed, queuesError, this.worker.totals(), fleet, truncated);
	}

	/**
	 * Pauses or resumes the worker: {@code POST /actuator/worker/pause} or {@code /resume}.
	 * @param action {@code pause} or {@code resume}
	 * @return the worker after the action
	 */
	@WriteOperation
	public WorkerDescriptor control(@Selector String action) {
		switch (action) {
			case "pause" -> this.control.pause();
			case "resume" -> this.control.resume();
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"Unknown action '" + action + "': use pause or resume");
		}
		return worker();
	}

	/**
	 * The worker's state, running jobs, drain, queues and totals.
	 */
	public static final class WorkerDescriptor implements OperationResponseBody {

		private final WorkerState state;

		private final Instant since;

		private final String workerId;

		private final int concurrency;

		private final List<ActiveJobDescriptor> activeJobs;

		private final @Nullable DrainDescriptor drain;

		private final Map<String, QueueDescriptor> queues;

		private final Map<String, Long> unconsumedQueues;

		private final @Nullable String queuesError;

		private final WorkerTotals totals;

		private final List<FleetMemberDescriptor> fleet;

		private final List<TruncatedDrain> truncatedDrains;

		WorkerDescriptor(WorkerState state, Instant since, String workerId, int concurrency,
				List<ActiveJobDescriptor> activeJobs, @Nullable DrainDescriptor drain, Map<String, QueueDescriptor> queues,
				Map<String, Long> unconsumedQueues, @Nullable String queuesError, WorkerTotals totals,
				List<FleetMemberDescriptor> fleet, List<TruncatedDrain> truncatedDrains) {
			this.fleet = fleet;
			this.truncatedDrains = truncatedDrains;
			this.state = state;
			this.since = since;
			this.workerId = workerId;
			this.concurrency = concurrency;
			this.activeJobs = activeJobs;
			this.drain = drain;
			this.queues = queues;
			this.unconsumedQueues = unconsumedQueues;
			this.queuesError = queuesError;
			this.totals = totals;
		}

		public WorkerState getState() {
			return this.state;
		}

		public Instant getSince() {
			return this.since;
		}

		public String getWorkerId() {
			return this.workerId;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public List<ActiveJobDescriptor> getActiveJobs() {
			return this.activeJobs;
		}

		public @Nullable DrainDescriptor getDrain() {
			return this.drain;
		}

		public Map<String, QueueDescriptor> getQueues() {
			return this.queues;
		}

		/**
		 * Returns the queues that hold ready jobs but have no live consumer: jobs there wait
		 * until a worker consumes the queue.
		 * @return queue names to their ready jobs
		 */
		public Map<String, Long> getUnconsumedQueues() {
			return this.unconsumedQueues;
		}

		public @Nullable String getQueuesError() {
			return this.queuesError;
		}

		public WorkerTotals getTotals() {
			return this.totals;
		}

		public List<FleetMemberDescriptor> getFleet() {
			return this.fleet;
		}

		public List<TruncatedDrain> getTruncatedDrains() {
			return this.truncatedDrains;
		}

	}

	/**
	 * A running job, without its arguments.
	 */
	public static final class ActiveJobDescriptor {

		private final ActiveJob job;

		private final Duration runningFor;

		ActiveJobDescriptor(ActiveJob job, Instant now) {
			this.job = job;
			this.runningFor = Duration.between(job.startedAt(), now);
		}

		public String getId() {
			return this.job.id();
		}

		public String getName() {
			return this.job.name();
		}

		public String getQueue() {
			return this.job.queue();
		}

		public int getAttempt() {
			return this.job.attempt();
		}

		public Instant getStartedAt() {
			return this.job.startedAt();
		}

		public Duration getRunningFor() {
			return this.runningFor;
		}

	}

}
