package io.gracefulworker.autoconfigure;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.gracefulworker.core.RecurringSchedule;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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
			catch (DateTimeException ex) {
				throw new InvalidConfigurationPropertyValueException(property + ".zone", zone,
						"it is not a zone id (" + ex.getMessage() + "); give one such as UTC or Europe/Paris");
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException(property + ".cron", cron,
						"it is not a cron expression (" + ex.getMessage() + "); give six fields, seconds first, such as"
								+ " '0 0 2 * * *', or '-' to disable the schedule");
			}
		}
		return schedules;
	}

}
