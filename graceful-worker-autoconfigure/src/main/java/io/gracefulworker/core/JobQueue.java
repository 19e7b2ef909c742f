package io.gracefulworker.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The storage SPI behind the worker, in domain types: every state change of a job is one atomic
 * operation, and each operation on a leased job is accepted only while the caller's fencing
 * token owns it. How a job is laid out in the store is the implementation's alone.
 */
public interface JobQueue extends JobQueueOperations {

	/**
	 * Stores a new job.
	 * @param job the job
	 * @return the id stored: the job's own, or an existing job's with the same idempotency key
	 */
	String enqueue(NewJob job);

	/**
	 * Stores new jobs, each as {@link #enqueue(NewJob)} would, in as few round trips as the
	 * store allows. Each job is stored whole or not at all; when an exception ends the call,
	 * the jobs of earlier round trips may be stored.
	 * @param jobs the jobs
	 * @return the ids stored, in the order of the jobs
	 */
	default List<String> enqueueAll(List<NewJob> jobs) {
		List<String> ids = new ArrayList<>(jobs.size());
		for (NewJob job : jobs) {
			ids.add(enqueue(job));
		}
		return ids;
	}

	/**
	 * Takes up to {@code max} ready jobs of a queue (after moving due scheduled jobs to ready)
	 * and leases them to the caller.
	 * @param queue the queue
	 * @param max the most jobs to take
	 * @param lease how long the lease lasts unless renewed
	 * @param tokenPrefix a prefix unique to this claim, from which each job's token is made
	 * @return the claimed jobs and when the next scheduled job is due
	 */
	ClaimResult claim(String queue, int max, Duration lease, String tokenPrefix);

	/**
	 * Claims as {@link #claim(String, int, Duration, String)} does, and registers the worker
	 * for a hand-off when the claim leaves it a slot free (withdrawing it when it does not).
	 * A store that cannot hand jobs over claims without registering.
	 * @param queue the queue
	 * @param max the most jobs to take
	 * @param lease how long the lease lasts unless renewed
	 * @param tokenPrefix a prefix unique to this claim, from which each job's token is made
	 * @param register the registration to make, or {@code null} to make none (and withdraw)
	 * @param pending the registration the worker made last and has not seen taken, or {@code null}
	 * @param registrationTtl how long a registration lasts unless a claim renews it
	 * @return the claimed jobs, when the next scheduled job is due, and the registration's fate
	 */
	default ClaimResult claim(String queue, int max, Duration lease, String tokenPrefix,
			@Nullable HandOffRegistration register, @Nullable HandOffRegistration pending, Duration registrationTtl) {
		return claim(queue, max, lease, tokenPrefix);
	}

	/**
	 * Extends the leases of the given jobs of one queue.
	 * @param queue the queue
	 * @param jobs the jobs the caller runs
	 * @param lease the new lease duration from now
	 * @return the ids whose lease the caller no longer owns
	 */
	Set<String> heartbeat(String queue, Collection<ClaimedJob> jobs, Duration lease);

	/**
	 * Records finished jobs of one queue in one operation, each only while its token owns it:
	 * their outcome is kept for the queue's retention, holding their idempotency keys, or they
	 * are removed and their keys freed.
	 * @param queue the queue
	 * @param jobs the finished jobs
	 * @return the ids whose completion was refused (their lease had been lost)
	 */
	Set<String> complete(String queue, Collection<FinishedJob> jobs);

	/**
	 * Records a failed attempt.
	 * @param job the job
	 * @param error what went wrong
	 * @param retryDelay when to retry, or {@code null} to move the job to the dead set
	 * @return whether the failure was recorded: {@code false} when the caller no longer owned the
	 * job, or when the job had ended already or is in the dead set (the claim took a second copy
	 * of its id): then only that copy's lease is released
	 */
	boolean fail(ClaimedJob job, JobError error, @Nullable Duration retryDelay);

	/**
	 * Gives a leased job back without counting the attempt.
	 * @param job the job
	 * @param reason why, recorded with the job (for example {@code shutdown})
	 * @param delay {@link Duration#ZERO} for the front of ready, else when to retry
	 * @return whether the caller still owned the job
	 */
	boolean requeue(ClaimedJob job, String reason, Duration delay);

	/**
	 * Saves a running job's progress, only while the caller's token owns it.
	 * @param job the job
	 * @param progress the progress as JSON
	 * @return whether the caller still owned the job
	 */
	boolean checkpoint(ClaimedJob job, String progress);

	/**
	 * Moves jobs whose lease expired back to ready: a bounded part of them a call, whatever the
	 * number of running jobs, so that callers repeat it (a worker does on every recovery interval).
	 * @param queue the queue
	 * @param maxRecoveries how often a job may be recovered before it goes to the dead set
	 * @return how many jobs were recovered and how many went to the dead set
	 */
	RecoverResult recover(String queue, int maxRecoveries);

	/**
	 * Counts a queue's jobs by state.
	 * @param queue the queue
	 * @return the counts
	 */
	QueueStats stats(String queue);

	/**
	 * Announces that a worker consumes a queue, for a while.
	 * @param queue the queue
	 * @param workerId the worker
	 * @param ttl how long the announcement holds unless renewed
	 */
	void consume(String queue, String workerId, Duration ttl);

	/**
	 * Returns every queue that jobs were enqueued to.
	 * @return the queue names
	 */
	Set<String> queues();

	/**
	 * Calls the listener with a queue's name when jobs may have become ready in it.
	 * @param listener the listener
	 * @return a handle that ends the subscription
	 */
	AutoCloseable subscribe(Consumer<String> listener);

	/**
	 * Returns the cancel requests of the given running jobs of one queue.
	 * @param queue the queue
	 * @param jobs the jobs the caller runs
	 * @return the requests, by job id: whether to interrupt
	 * @since 0.2.0
	 */
	default Map<String, Boolean> cancelRequests(String queue, Collection<ClaimedJob> jobs) {
		return Map.of();
	}

	/**
	 * Ends a running job as cancelled, only while the caller's token owns it.
	 * @param job the job
	 * @return whether the caller still owned the job
	 * @since 0.2.0
	 */
	default boolean cancelled(ClaimedJob job) {
		throw new UnsupportedOperationException("This job queue cannot cancel jobs");
	}

	/**
	 * Calls the listeners when jobs may have become ready in a queue and when a running job is
	 * cancelled.
	 * @param wakeUps called with the queue's name
	 * @param cancels called with each cancel request
	 * @return a handle that ends the subscription
	 * @since 0.2.0
	 */
	default AutoCloseable subscribe(Consumer<String> wakeUps, Consumer<CancelRequest> cancels) {
		return subscribe(wakeUps);
	}

	/**
	 * Subscribes as {@link #subscribe(Consumer, Consumer)} does, and to the jobs handed over to
	 * one worker, each already leased to it. A store that cannot hand jobs over never calls it.
	 * @param wakeUps called with the queue's name
	 * @param cancels called with each cancel request
	 * @param worker the worker whose hand-offs to receive
	 * @param handOffs called with each job handed over, on the subscription's thread
	 * @return a handle that ends the subscription
	 */
	default AutoCloseable subscribe(Consumer<String> wakeUps, Consumer<CancelRequest> cancels, String worker,
			Consumer<HandedOver> handOffs) {
		return subscribe(wakeUps, cancels);
	}

	/**
	 * Publishes a worker's entry in the fleet registry until it lapses, unless published again,
	 * and removes lapsed entries: those still draining are reported, once across the fleet.
	 * @param entry the entry
	 * @param lapse how long it holds
	 * @return the drains cut short that this call found
	 * @since 0.2.0
	 */
	default List<TruncatedDrain> publish(FleetEntry entry, Duration lapse) {
		return List.of();
	}

	/**
	 * Returns the latest drains cut short, newest first.
	 * @return at most twenty
	 * @since 0.2.0
	 */
	default List<TruncatedDrain> truncatedDrains() {
		return List.of();
	}

	/**
	 * Removes a worker's entry from the fleet registry (a clean stop).
	 * @param workerId the worker
	 * @since 0.2.0
	 */
	default void leave(String workerId) {
	}

	/**
	 * Returns the entries of every worker whose entry has not lapsed.
	 * @return the fleet
	 * @since 0.2.0
	 */
	default List<FleetEntry> fleet() {
		return List.of();
	}

	/**
	 * Returns where cron schedules live, beside the jobs they fire, or {@code null} if this
	 * store keeps none.
	 * @return the recurring store
	 * @since 0.2.0
	 */
	default @Nullable RecurringStore recurring() {
		return null;
	}

	/**
	 * Removes a queue's kept outcomes and dead jobs past their retention, oldest first, a
	 * bounded number per call.
	 * @param queue the queue
	 * @return how many were removed, and the dead jobs left
	 * @since 0.2.0
	 */
	default TrimResult trim(String queue) {
		return TrimResult.NONE;
	}

}
