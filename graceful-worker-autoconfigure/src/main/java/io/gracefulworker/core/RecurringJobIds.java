package io.gracefulworker.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The ids of jobs fired by a cron schedule: the job name and the tick, as in
 * {@code reports.nightly@2026-12-01T02:00:00Z}, so that one tick can only ever be one job.
 */
public final class RecurringJobIds {

	private RecurringJobIds() {
	}

	static String of(String job, Instant tick) {
		return job + "@" + tick;
	}

	/**
	 * Returns the tick a job was fired for, if a schedule fired it.
	 * @param id the job's id
	 * @return the tick, or empty for a job that was enqueued
	 */
	public static Optional<Instant> tick(String id) {
		int at = id.lastIndexOf('@');
		if (at <= 0) {
			return Optional.empty();
		}
		try {
			return Optional.of(Instant.parse(id.substring(at + 1)));
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

}
