package io.gracefulworker;

import java.time.ZoneId;
import java.util.List;

import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.Recurring.Overlap;
import io.gracefulworker.core.RecurringStore.ScheduleState;

/**
 * Adds, removes and lists the fleet's cron schedules at run time, beside those declared with
 * {@link Recurring @Recurring}. A schedule added here stays until it is removed here, whichever
 * workers come and go.
 */
public interface RecurringJobs {

	/**
	 * Schedules a {@link Job @Job} method that takes no arguments (or only a
	 * {@link JobContext}): missed ticks fire once, overlapping ticks are skipped.
	 * @param job the job name
	 * @param cron the cron expression, seconds first
	 * @param zone the zone it is read in
	 * @throws IllegalArgumentException if this application defines no such job, the job takes
	 * arguments, or the expression cannot be read
	 */
	default void schedule(String job, String cron, ZoneId zone) {
		schedule(job, cron, zone, MissedTicks.FIRE_ONCE, Overlap.SKIP);
	}

	/**
	 * Schedules a {@link Job @Job} method that takes no arguments (or only a
	 * {@link JobContext}); a schedule of that job already stored is replaced.
	 * @param job the job name
	 * @param cron the cron expression, seconds first
	 * @param zone the zone it is read in
	 * @param missedTicks what happens to ticks missed while no worker ran
	 * @param overlap whether a tick fires while the previous job has not ended
	 * @throws IllegalArgumentException if this application defines no such job, the job takes
	 * arguments, or the expression cannot be read
	 */
	void schedule(String job, String cron, ZoneId zone, MissedTicks missedTicks, Overlap overlap);

	/**
	 * Removes a job's schedule, however it was declared; workers that declare it with
	 * {@code @Recurring} declare it again within seconds.
	 * @param job the job name
	 * @return whether a schedule was removed
	 */
	boolean unschedule(String job);

	/**
	 * Returns every schedule of the queues this application knows, with its next tick, what it
	 * last fired and what it skipped.
	 * @return the schedules, by job name
	 */
	List<ScheduleState> schedules();

}
