package io.gracefulworker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link Job @Job} method on a cron schedule: each tick is claimed once in Redis, on
 * Redis's clock, by whichever worker sees it first, and enqueued as an ordinary job of the
 * method's queue, so leases, retries, the drain and requeues apply. The method takes no
 * arguments, or only a {@link JobContext}.
 *
 * <p>{@code graceful-worker.recurring.<job name>.cron} overrides the expression, and {@code -}
 * disables the schedule on this application (as {@code @Scheduled(cron = "-")} does); a schedule
 * no live worker declares any more is removed.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Recurring {

	/**
	 * The schedule, as Spring's {@link org.springframework.scheduling.support.CronExpression}
	 * reads it: six fields, seconds first ({@code 0 0 2 * * *} is 02:00 every day), or a macro
	 * such as {@code @hourly}.
	 * @return the cron expression
	 */
	String cron();

	/**
	 * The time zone the expression is read in. Pods of one fleet may run with different default
	 * zones, so the zone is named, UTC unless given.
	 * @return a zone id such as {@code Europe/Paris}
	 */
	String zone() default "UTC";

	/**
	 * What happens to ticks that passed while no worker ran (every pod down, a gap in a rollout).
	 * @return the policy
	 */
	MissedTicks missedTicks() default MissedTicks.FIRE_ONCE;

	/**
	 * Whether a tick fires while the schedule's previous job is still queued or running.
	 * @return the policy
	 */
	Overlap overlap() default Overlap.SKIP;

	/**
	 * What a schedule does with ticks that passed while no worker ran.
	 */
	enum MissedTicks {

		/** One job fires on recovery for all the missed ticks, never one per tick. */
		FIRE_ONCE,

		/** Missed ticks are skipped, and counted; the schedule resumes at its next tick. */
		SKIP

	}

	/**
	 * What a schedule does with a tick while its previous job has not ended.
	 */
	enum Overlap {

		/** The tick is skipped, and counted. */
		SKIP,

		/** The tick fires all the same: two of the schedule's jobs may run at once. */
		ALLOW

	}

}
