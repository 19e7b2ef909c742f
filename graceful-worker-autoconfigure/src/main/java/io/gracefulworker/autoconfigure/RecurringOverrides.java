package io.gracefulworker.autoconfigure;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.gracefulworker.core.RecurringSchedule;

import org.springframework.core.env.PropertyResolver;

/**
 * Applies {@code graceful-worker.recurring.<job>.cron} and {@code .zone} to the schedules
 * declared with {@code @Recurring}: {@code cron=-} leaves a schedule out. They are read by the
 * job's name as it stands, dots included, rather than bound to a map, whose keys would need
 * brackets around a dotted name.
 */
final class RecurringOverrides {

	static final String DISABLED = "-";

	private RecurringOverrides() {
	}

	static List<RecurringSchedule> apply(Collection<RecurringSchedule> declared, PropertyResolver properties) {
		List<RecurringSchedule> schedules = new ArrayList<>();
		for (RecurringSchedule schedule : declared) {
			String property = "graceful-worker.recurring." + schedule.job();
			String cron = properties.getProperty(property + ".cron");
			String zone = properties.getProperty(property + ".zone");
			if (DISABLED.equals(cron)) {
				continue;
			}
			try {
				schedules.add(new RecurringSchedule(schedule.job(), schedule.queue(),
						(cron != null) ? cron : schedule.cron(), (zone != null) ? ZoneId.of(zone) : schedule.zone(),
						schedule.missedTicks(), schedule.overlap(), schedule.maxAttempts()));
			}
			catch (IllegalArgumentException | DateTimeException ex) {
				throw new IllegalStateException(property + ".cron or .zone cannot be read: " + ex.getMessage()
						+ "; give a cron expression of six fields (seconds first), '-' to disable, and a zone id", ex);
			}
		}
		return schedules;
	}

}
