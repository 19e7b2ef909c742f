package io.gracefulworker.core;

import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

	// Parsed once per expression and zone: a scheduler reads each due schedule at every tick.
	private static final Map<String, CronTicks> parsed = new ConcurrentHashMap<>();

	public RecurringSchedule {
		// Fails at declaration, naming the expression, rather than at the first tick.
		ticks(cron, zone);
	}

	CronTicks ticks() {
		return ticks(this.cron, this.zone);
	}

	private static CronTicks ticks(String cron, ZoneId zone) {
		return parsed.computeIfAbsent(zone.getId() + ' ' + cron, (key) -> new CronTicks(cron, zone));
	}

}
