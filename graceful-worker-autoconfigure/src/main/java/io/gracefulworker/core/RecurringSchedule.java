package io.gracefulworker.core;

import java.time.ZoneId;

import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.Recurring.Overlap;

/**
 * A cron schedule of a job: each tick enqueues the job, with no arguments, in its queue.
 *
 * @param job the job name, which also names the schedule
 * @param queue the job's queue, where the schedule is kept
 * @param cron the cron expression
 * @param zone the zone it is read in
 * @param missedTicks what happens to ticks missed while no worker ran
 * @param overlap whether a tick fires while the previous job has not ended
 * @param maxAttempts the attempts each fired job gets
 */
public record RecurringSchedule(String job, String queue, String cron, ZoneId zone, MissedTicks missedTicks,
		Overlap overlap, int maxAttempts) {

	public RecurringSchedule {
		// Fails at declaration, naming the expression, rather than at the first tick.
		new CronTicks(cron, zone);
	}

	CronTicks ticks() {
		return new CronTicks(this.cron, this.zone);
	}

}
