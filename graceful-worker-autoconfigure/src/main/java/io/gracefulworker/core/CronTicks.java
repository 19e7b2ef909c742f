package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import io.gracefulworker.Recurring.MissedTicks;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.support.CronExpression;

/**
 * The ticks of one cron schedule in its zone, and what a pass does with the ticks that are due:
 * ticks within the lateness allowance fire, each once; older ticks were missed (no worker ran)
 * and fire once together or are skipped, as the schedule's {@link MissedTicks} says. Only the
 * stored tick and Redis's clock enter, never a pod's clock.
 */
public final class CronTicks {

	/** Ticks due at most this long ago are on time; a pass that ran late still fires each. */
	public static final Duration LATENESS = Duration.ofSeconds(5);

	private static final int MAX_TICKS_COUNTED = 100_000;

	private final CronExpression cron;

	private final ZoneId zone;

	public CronTicks(String cron, ZoneId zone) {
		this.cron = CronExpression.parse(cron);
		this.zone = zone;
	}

	/**
	 * Returns the first tick after the given instant.
	 * @param instant the instant
	 * @return the tick, or {@code null} if the expression never fires again
	 */
	public @Nullable Instant after(Instant instant) {
		ZonedDateTime next = this.cron.next(ZonedDateTime.ofInstant(instant, this.zone));
		return (next != null) ? next.toInstant() : null;
	}

	/**
	 * Decides what a pass does with a schedule whose stored tick is due.
	 * @param due the stored tick, at or before {@code now}
	 * @param now Redis's time
	 * @param missed the schedule's policy for missed ticks
	 * @return the ticks to fire, the tick to store next, and the ticks skipped
	 */
	public Decision decide(Instant due, Instant now, MissedTicks missed) {
		List<Instant> fire = new ArrayList<>();
		Instant lastMissed = null;
		int missedCount = 0;
		Instant tick = due;
		int counted = 0;
		while (tick != null && !tick.isAfter(now)) {
			if (Duration.between(tick, now).compareTo(LATENESS) <= 0) {
				fire.add(tick);
			}
			else {
				lastMissed = tick;
				missedCount++;
			}
			if (++counted == MAX_TICKS_COUNTED) {
				// A long gap of a frequent schedule: the rest up to the lateness are missed too, and
				// not counted one by one.
				Instant recent = after(now.minus(LATENESS));
				tick = (recent != null && recent.isAfter(tick)) ? recent : after(tick);
				continue;
			}
			tick = after(tick);
		}
		int skipped = missedCount;
		if (missed == MissedTicks.FIRE_ONCE && lastMissed != null && fire.isEmpty()) {
			fire.add(lastMissed);
			skipped--;
		}
		return new Decision(List.copyOf(fire), tick, skipped);
	}

	/**
	 * What a pass does with one due schedule.
	 *
	 * @param fire the ticks to fire, oldest first (a job each)
	 * @param next the tick to store next, or {@code null} if the expression never fires again
	 * @param skipped the ticks skipped: missed while no worker ran, beyond the one fired for them
	 */
	public record Decision(List<Instant> fire, @Nullable Instant next, int skipped) {
	}

}
