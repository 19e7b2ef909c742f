package io.gracefulworker.redis;

import java.util.Arrays;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;
import org.jspecify.annotations.Nullable;

/**
 * The compact layout of a new job's record ({@link RedisRecordLayout#COMPACT}): the fields of the
 * JSON layout by position, each behind {@link #MARK}: the name, the arguments, the most attempts,
 * the enqueue time (epoch ms in base 36), then the idempotency key, the bean and the trace
 * context, absent ones empty and trailing ones left out. A job without arguments takes 25
 * characters instead of 76, which puts its record in a smaller Redis allocation. The scripts read
 * it with {@code record.lua}; a script that changes a record writes it back as JSON.
 * <p>
 * A succeeded job's outcome kept in a list ({@link RedisOutcomeLayout#LIST}) has a compact layout
 * too, behind two marks (a compact job record has a name): its name, attempt, most attempts, enqueue,
 * start and end times (epoch ms in base 36), worker and idempotency key. Moved to the sorted set,
 * which workers of earlier builds read, it is written back as JSON ({@code trim.lua}).
 */
final class RedisCompactRecords {

	/**
	 * Starts a compact record and separates its fields: a control character that JSON never leaves
	 * unescaped, so arguments cannot hold it, and that cannot start a JSON object.
	 */
	static final char MARK = '\u001F';

	private static final String[] OPTIONAL_FIELDS = { "idem", "bean", "tp" };

	private RedisCompactRecords() {
	}

	static boolean isCompact(String raw) {
		return !raw.isEmpty() && raw.charAt(0) == MARK;
	}

	private static boolean isOutcome(String raw) {
		return raw.length() > 1 && raw.charAt(0) == MARK && raw.charAt(1) == MARK;
	}

	/**
	 * Whether a succeeded job's outcome can be written compact: not when its name, worker or key
	 * holds the mark.
	 */
	static boolean fitsOutcome(JobRecord record, String worker) {
		return free(record.name()) && free(worker) && free(record.idempotencyKey());
	}

	static String writeOutcome(JobRecord record, long startedAt, long finishedAt, String worker) {
		StringBuilder outcome = new StringBuilder(48 + record.name().length() + worker.length());
		outcome.append(MARK).append(MARK).append(record.name());
		outcome.append(MARK).append(record.attempt()).append(MARK).append(record.maxAttempts());
		outcome.append(MARK).append(Long.toString(record.enqueuedAt(), 36));
		outcome.append(MARK).append(Long.toString(startedAt, 36));
		outcome.append(MARK).append(Long.toString(finishedAt, 36));
		outcome.append(MARK).append(worker);
		if (record.idempotencyKey() != null) {
			outcome.append(MARK).append(record.idempotencyKey());
		}
		return outcome.toString();
	}

	/**
	 * Whether a job can be written compact: not when one of its texts holds the mark, which a
	 * name, a key or a bean may, nor without a name (two marks start a kept outcome).
	 */
	static boolean fits(NewJob job) {
		return !job.name().isEmpty() && free(job.name()) && free(job.arguments()) && free(job.idempotencyKey()) && free(job.bean())
				&& free(job.traceparent());
	}

	private static boolean free(@Nullable String text) {
		return text == null || text.indexOf(MARK) < 0;
	}

	static String write(NewJob job) {
		StringBuilder record = new StringBuilder(24 + job.name().length() + job.arguments().length());
		record.append(MARK).append(job.name()).append(MARK).append(job.arguments());
		record.append(MARK).append(job.maxAttempts());
		record.append(MARK).append(Long.toString(System.currentTimeMillis(), 36));
		@Nullable String[] optional = { job.idempotencyKey(), job.bean(), job.traceparent() };
		int last = optional.length - 1;
		while (last >= 0 && optional[last] == null) {
			last--;
		}
		for (int i = 0; i <= last; i++) {
			record.append(MARK);
			String value = optional[i];
			if (value != null) {
				record.append(value);
			}
		}
		return record.toString();
	}

	/**
	 * Reads a compact record as a claim returned it.
	 */
	static ClaimedJob read(String id, String queue, String token, String raw) {
		String[] fields = fields(raw, 1, 7);
		if (fields[0].isEmpty()) {
			return ClaimedJob.unreadable(id, queue, token, "Job record has no 'name'");
		}
		int maxAttempts = fields[2].isEmpty() ? 1 : number(fields[2]);
		if (maxAttempts < 0) {
			return ClaimedJob.unreadable(id, queue, token, "Job record's most attempts is not a number");
		}
		// A compact record is never rewritten in place: no attempt has ended, no checkpoint is
		// saved and no worker has given it back yet.
		return ClaimedJob.of(token, new JobRecord(id, fields[0], queue, fields[1], 1, maxAttempts,
				emptyToNull(fields[4]), null, null, emptyToNull(fields[5]), base36(fields[3]), emptyToNull(fields[6])));
	}

	/**
	 * Returns a compact record as the JSON record it stands for, for readers that take records
	 * as trees.
	 */
	static String json(String raw) {
		if (isOutcome(raw)) {
			return outcomeJson(raw);
		}
		String[] fields = fields(raw, 1, 7);
		StringBuilder json = new StringBuilder(raw.length() + 64);
		json.append("{\"name\":");
		RedisJobRecords.quote(fields[0], json);
		json.append(",\"args\":");
		RedisJobRecords.quote(fields[1], json);
		int maxAttempts = number(fields[2]);
		if (maxAttempts >= 0) {
			json.append(",\"maxAttempts\":").append(maxAttempts);
		}
		long enqueuedAt = base36(fields[3]);
		if (enqueuedAt > 0) {
			json.append(",\"enqueuedAt\":").append(enqueuedAt);
		}
		for (int i = 0; i < OPTIONAL_FIELDS.length; i++) {
			if (!fields[4 + i].isEmpty()) {
				json.append(",\"").append(OPTIONAL_FIELDS[i]).append("\":");
				RedisJobRecords.quote(fields[4 + i], json);
			}
		}
		return json.append('}').toString();
	}

	// The JSON layout of a kept outcome (RedisJobRecords.writeOutcome).
	private static String outcomeJson(String raw) {
		String[] fields = fields(raw, 2, 8);
		StringBuilder json = new StringBuilder(raw.length() + 128);
		json.append("{\"state\":\"succeeded\",\"name\":");
		RedisJobRecords.quote(fields[0], json);
		json.append(",\"attempt\":").append(Math.max(0, number(fields[1])));
		json.append(",\"maxAttempts\":").append(Math.max(1, number(fields[2])));
		if (!fields[7].isEmpty()) {
			json.append(",\"idem\":");
			RedisJobRecords.quote(fields[7], json);
		}
		long enqueuedAt = base36(fields[3]);
		if (enqueuedAt > 0) {
			json.append(",\"enqueuedAt\":").append(enqueuedAt);
		}
		json.append(",\"startedAt\":").append(base36(fields[4]));
		json.append(",\"finishedAt\":").append(base36(fields[5])).append(",\"worker\":");
		RedisJobRecords.quote(fields[6], json);
		return json.append('}').toString();
	}

	/**
	 * Splits a compact record into its fields after its leading marks, absent ones empty.
	 */
	private static String[] fields(String raw, int marks, int count) {
		String[] fields = new String[count];
		Arrays.fill(fields, "");
		int start = marks;
		for (int i = 0; i < fields.length; i++) {
			int end = raw.indexOf(MARK, start);
			fields[i] = raw.substring(start, (end < 0) ? raw.length() : end);
			if (end < 0) {
				break;
			}
			start = end + 1;
		}
		return fields;
	}

	/** Reads a count, or returns -1 when the field is not one. */
	private static int number(String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static long base36(String value) {
		try {
			return value.isEmpty() ? 0 : Long.parseLong(value, 36);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static @Nullable String emptyToNull(String value) {
		return value.isEmpty() ? null : value;
	}

}
