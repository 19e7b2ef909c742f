package io.gracefulworker.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.gracefulworker.CancelResult;
import io.gracefulworker.DeadJobPage;
import io.gracefulworker.DeadJobQuery;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;

/**
 * The {@link JobOperations} over a {@link JobQueue}. A job id does not name its queue, so a
 * lookup asks each known queue in turn: those jobs were enqueued to and those this application
 * defines jobs for.
 */
public class DefaultJobOperations implements JobOperations {

	private final JobQueue queue;

	private final Supplier<Set<String>> knownQueues;

	/**
	 * Creates the operations.
	 * @param queue the job queue
	 * @param definedQueues the queues this application defines jobs for or consumes, asked at
	 * each lookup
	 */
	public DefaultJobOperations(JobQueue queue, Supplier<Set<String>> definedQueues) {
		this.queue = queue;
		this.knownQueues = () -> {
			Set<String> queues = new TreeSet<>(definedQueues.get());
			queues.addAll(queue.queues());
			return queues;
		};
	}

	@Override
	public Optional<JobStatus> status(JobId id) {
		for (String name : this.knownQueues.get()) {
			Optional<JobStatus> status = this.queue.status(name, id.value());
			if (status.isPresent()) {
				return status;
			}
		}
		return Optional.empty();
	}

	@Override
	public Optional<String> arguments(JobId id) {
		return status(id).flatMap((status) -> this.queue.arguments(status.queue(), id.value()));
	}

	@Override
	public CancelResult cancel(JobId id, boolean interrupt) {
		return status(id).map((status) -> this.queue.cancel(status.queue(), id.value(), interrupt))
			.orElse(CancelResult.UNKNOWN);
	}

	@Override
	public DeadJobPage deadJobs(DeadJobQuery query) {
		// Each queue's newest, enough to fill the page, merged newest first across queues.
		int wanted = (query.page() + 1) * query.size();
		List<JobStatus> merged = new ArrayList<>();
		boolean more = false;
		for (String name : queues(query)) {
			JobQueue.DeadJobs dead = this.queue.deadJobs(name, query.name(), query.reason(), 0, wanted);
			merged.addAll(dead.jobs());
			more |= dead.hasMore();
		}
		merged.sort(Comparator.comparing(JobStatus::finishedAt, Comparator.nullsLast(Comparator.reverseOrder())));
		int from = Math.min(merged.size(), query.page() * query.size());
		int to = Math.min(merged.size(), from + query.size());
		return new DeadJobPage(List.copyOf(merged.subList(from, to)), query.page(), query.size(),
				more || merged.size() > to);
	}

	@Override
	public void retryDead(JobId id) {
		this.queue.retryDead(dead(id, "retried").queue(), List.of(id.value()));
	}

	@Override
	public int retryDead(DeadJobQuery query) {
		return eachQueue(query, this.queue::retryDead);
	}

	@Override
	public void deleteDead(JobId id) {
		this.queue.deleteDead(dead(id, "deleted").queue(), List.of(id.value()));
	}

	@Override
	public int deleteDead(DeadJobQuery query) {
		return eachQueue(query, this.queue::deleteDead);
	}

	/**
	 * Applies an action to the matching dead jobs of each queue the query names.
	 * @return how many jobs it changed
	 */
	private int eachQueue(DeadJobQuery query, BiFunction<String, List<String>, Integer> action) {
		int changed = 0;
		for (String name : queues(query)) {
			changed += action.apply(name, this.queue.deadIds(name, query.name(), query.reason()));
		}
		return changed;
	}

	private JobStatus dead(JobId id, String action) {
		JobStatus status = status(id)
			.orElseThrow(() -> new IllegalArgumentException("No job has the id " + id + ", so none can be " + action));
		if (status.state() != JobState.DEAD) {
			throw new IllegalArgumentException("Job " + id + " is " + status.state().name().toLowerCase(java.util.Locale.ROOT)
					+ ", not dead: only a dead job can be " + action);
		}
		return status;
	}

	private Set<String> queues(DeadJobQuery query) {
		return (query.queue() != null) ? Set.of(query.queue()) : this.knownQueues.get();
	}

}
