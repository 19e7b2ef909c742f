package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Where cron schedules live and their ticks are claimed, shared by every worker of the fleet:
 * a tick is fired by the first worker whose claim of it lands, and by no other.
 */
public interface RecurringStore {

	/**
	 * Returns the store's clock, which every tick is judged by.
	 * @return the time now
	 */
	Instant now();

	/**
	 * Declares schedules on behalf of a worker: a new or changed schedule starts at its first
	 * tick after {@code now}; an unchanged one keeps its next tick.
	 * @param workerId the declaring worker, or {@link #PROGRAMMATIC} for a schedule added by the API
	 * @param schedules the schedules
	 * @param firstTicks each schedule's first tick, by job name
	 */
	void declare(String workerId, Collection<RecurringSchedule> schedules, Map<String, Instant> firstTicks);

	/**
	 * Returns the schedules of a queue whose next tick is due.
	 * @param queue the queue
	 * @param limit the most to return
	 * @return the store's time, the earliest tick not yet due, and the due schedules
	 */
	DueTicks due(String queue, int limit);

	/**
	 * Fires ticks: for each schedule, only if its stored tick is still the one read (else another
	 * worker fired it), enqueues a job per tick (none for a tick whose previous job has not ended
	 * when the schedule skips overlaps), and stores its next tick.
	 * @param queue the queue
	 * @param fires what to fire
	 * @return what was fired, by job name
	 */
	Map<String, FireResult> fire(String queue, List<Fire> fires);

	/**
	 * Removes the schedules that no worker declares any more (a newer release dropped them),
	 * and forgets the declarations of workers that are gone: neither in the fleet nor declared
	 * within the grace.
	 * @param queue the queue
	 * @param liveWorkers the ids of the workers in the fleet registry
	 * @param grace how long a declaration holds without its worker in the fleet
	 * @return the names of the schedules removed
	 */
	List<String> prune(String queue, Collection<String> liveWorkers, Duration grace);

	/**
	 * Removes a schedule whatever declares it.
	 * @param queue the queue
	 * @param job the schedule's job name
	 * @return whether it existed
	 */
	boolean remove(String queue, String job);

	/**
	 * Returns every schedule of a queue with its state.
	 * @param queue the queue
	 * @return the schedules
	 */
	List<ScheduleState> schedules(String queue);

	/** The declarer of schedules added through the API: never pruned. */
	String PROGRAMMATIC = "api";

	/**
	 * The due schedules of a queue.
	 *
	 * @param now the store's time
	 * @param earliestPending the earliest tick not yet due, or {@code null}
	 * @param due the due schedules with their stored tick
	 */
	record DueTicks(Instant now, @Nullable Instant earliestPending, List<Due> due) {
	}

	/**
	 * A due schedule.
	 *
	 * @param schedule the schedule, as stored
	 * @param tick its stored tick
	 */
	record Due(RecurringSchedule schedule, Instant tick) {
	}

	/**
	 * What to fire for one schedule.
	 *
	 * @param schedule the schedule
	 * @param expectedTick the tick read, which the claim is conditional on
	 * @param jobs a job for each tick to fire, with its tick
	 * @param next the tick to store next, or {@code null} to end the schedule
	 * @param skipped ticks skipped as missed
	 */
	record Fire(RecurringSchedule schedule, Instant expectedTick, Map<Instant, NewJob> jobs, @Nullable Instant next,
			int skipped) {
	}

	/**
	 * What a claim did.
	 *
	 * @param claimed whether this worker's claim landed
	 * @param fired jobs enqueued
	 * @param overlapping ticks skipped because the previous job had not ended
	 */
	record FireResult(boolean claimed, int fired, int overlapping) {
	}

	/**
	 * A schedule and its state, for operators.
	 *
	 * @param schedule the schedule
	 * @param nextTick its next tick, or {@code null} if it never fires again
	 * @param lastTick the tick it last fired for, or {@code null}
	 * @param lastJobId the job it last enqueued, or {@code null}
	 * @param fires jobs it enqueued
	 * @param missedSkipped ticks skipped as missed
	 * @param overlapSkipped ticks skipped because the previous job had not ended
	 * @param declaredBy the workers that declare it ({@link #PROGRAMMATIC} for the API)
	 */
	record ScheduleState(RecurringSchedule schedule, @Nullable Instant nextTick, @Nullable Instant lastTick,
			@Nullable String lastJobId, long fires, long missedSkipped, long overlapSkipped, List<String> declaredBy) {
	}

}
