package io.gracefulworker.redis;

import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The layout of a job record in the {@code jobs} hash: a JSON object whose fields the Lua
 * scripts also read and edit ({@code attempt}, {@code checkpoint}, {@code error},
 * {@code unknownSince}, {@code enqueuedAt}, ...), or, for a new job when the chosen
 * {@link RedisRecordLayout} says so, the same fields by position
 * ({@link RedisCompactRecords}). The arguments are a JSON string inside it, so the scripts
 * never decode them. Every record is read in either layout, here and in the scripts
 * ({@code record.lua}).
 */
final class RedisJobRecords {

	private volatile BooleanSupplier compact = () -> false;

	// Records are read on the dispatcher's one platform thread: a buffer pool per thread spares
	// the shared pool's contention, which the profiler showed as a third of that thread's time.
	private final ObjectMapper mapper = JsonMapper
		.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
		.build();

	/**
	 * Says when new records are written compact: always, never, or as the fleet reads them.
	 * @param compact whether a record written now is compact
	 */
	void writeCompact(BooleanSupplier compact) {
		this.compact = compact;
	}

	/**
	 * Writes a new job's record. The id and the queue are left out (the hash field and the key
	 * name them), and so is the attempt, until one has ended: a queued job costs memory for what
	 * only it says.
	 */
	String write(NewJob job) {
		if (RedisCompactRecords.fits(job) && this.compact.getAsBoolean()) {
			return RedisCompactRecords.write(job);
		}
		// Written by hand: on the enqueue path a generator per record cost more than the record.
		StringBuilder json = new StringBuilder(64 + job.name().length() + job.arguments().length());
		json.append("{\"name\":");
		quote(job.name(), json);
		json.append(",\"args\":");
		quote(job.arguments(), json);
		json.append(",\"maxAttempts\":").append(job.maxAttempts());
		if (job.idempotencyKey() != null) {
			json.append(",\"idem\":");
			quote(job.idempotencyKey(), json);
		}
		if (job.bean() != null) {
			json.append(",\"bean\":");
			quote(job.bean(), json);
		}
		if (job.traceparent() != null) {
			json.append(",\"tp\":");
			quote(job.traceparent(), json);
		}
		return json.append(",\"enqueuedAt\":").append(System.currentTimeMillis()).append('}').toString();
	}

	/**
	 * Returns a record as JSON, whichever layout it was stored in, for readers that take it as a
	 * tree.
	 * @param raw the stored record
	 * @return the record as a JSON object, or as it was when it is not a compact record
	 */
	static String json(String raw) {
		return RedisCompactRecords.isCompact(raw) ? RedisCompactRecords.json(raw) : raw;
	}

	/**
	 * Writes the outcome kept for a succeeded job in place of its record: what its status tells,
	 * without its arguments.
	 * @param finished the job
	 * @param compact whether it may be written compact (kept in a list, which only builds that
	 * read compact outcomes read)
	 */
	String writeOutcome(FinishedJob finished, boolean compact) {
		JobRecord record = Objects.requireNonNull(finished.job().record());
		long finishedAt = System.currentTimeMillis();
		if (compact && RedisCompactRecords.fitsOutcome(record, finished.worker())) {
			return RedisCompactRecords.writeOutcome(record, finished.startedAt().toEpochMilli(), finishedAt,
					finished.worker());
		}
		StringBuilder json = new StringBuilder(128 + record.name().length());
		json.append("{\"state\":\"succeeded\",\"name\":");
		quote(record.name(), json);
		json.append(",\"attempt\":").append(record.attempt()).append(",\"maxAttempts\":").append(record.maxAttempts());
		if (record.idempotencyKey() != null) {
			json.append(",\"idem\":");
			quote(record.idempotencyKey(), json);
		}
		if (record.enqueuedAt() > 0) {
			json.append(",\"enqueuedAt\":").append(record.enqueuedAt());
		}
		json.append(",\"startedAt\":").append(finished.startedAt().toEpochMilli());
		// When the job ended, for its status and its retention's age, in either index (outcomes.lua).
		json.append(",\"finishedAt\":").append(finishedAt).append(",\"worker\":");
		quote(finished.worker(), json);
		return json.append('}').toString();
	}

	static void quote(String value, StringBuilder json) {
		json.append('"');
		JsonStringEncoder.getInstance().quoteAsString(value, json);
		json.append('"');
	}

	String write(JobError error) {
		return this.mapper.writeValueAsString(error);
	}

	/**
	 * Reads a record as a claim returned it.
	 * @param id the job id
	 * @param queue the queue
	 * @param token the fencing token of the claim
	 * @param record the stored record
	 * @return the claimed job, readable or with the reason it is not
	 */
	ClaimedJob read(String id, String queue, String token, String record) {
		if (RedisCompactRecords.isCompact(record)) {
			return RedisCompactRecords.read(id, queue, token, record);
		}
		String name = null;
		String arguments = null;
		String idempotencyKey = null;
		String checkpoint = null;
		String bean = null;
		String traceparent = null;
		Instant unknownSince = null;
		long enqueuedAt = 0;
		// The record counts the attempts that ended (failed, or lost with their worker); the claim
		// does not rewrite it, so this one is the next.
		int attemptsEnded = 0;
		int maxAttempts = 1;
		boolean dead = false;
		// Read field by field rather than as a tree: the dispatcher reads every claimed record.
		try (JsonParser parser = this.mapper.createParser(record)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return ClaimedJob.unreadable(id, queue, token, "Job record is not a JSON object");
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (field) {
					case "name" -> name = string(parser, value);
					case "args" -> arguments = string(parser, value);
					case "idem" -> idempotencyKey = string(parser, value);
					case "checkpoint" -> checkpoint = string(parser, value);
					case "bean" -> bean = string(parser, value);
					case "tp" -> traceparent = string(parser, value);
					case "attempt" ->
						attemptsEnded = (value == JsonToken.VALUE_NUMBER_INT) ? parser.getIntValue() : attemptsEnded;
					case "maxAttempts" ->
						maxAttempts = (value == JsonToken.VALUE_NUMBER_INT) ? parser.getIntValue() : maxAttempts;
					case "enqueuedAt" ->
						enqueuedAt = (value == JsonToken.VALUE_NUMBER_INT) ? parser.getLongValue() : enqueuedAt;
					case "unknownSince" -> unknownSince = (value == JsonToken.VALUE_NUMBER_INT)
							? Instant.ofEpochMilli(parser.getLongValue()) : null;
					case "deadAt" -> dead = value != JsonToken.VALUE_NULL;
					default -> parser.skipChildren();
				}
			}
		}
		catch (JacksonException ex) {
			return ClaimedJob.unreadable(id, queue, token, "Job record is not JSON: " + ex.getOriginalMessage());
		}
		if (name == null || name.isEmpty()) {
			return ClaimedJob.unreadable(id, queue, token, "Job record has no 'name'");
		}
		if (arguments == null) {
			return ClaimedJob.unreadable(id, queue, token, "Job record has no 'args'");
		}
		if (dead) {
			// Its id was on ready again while the job is in the dead set (a retry clears deadAt):
			// run, the job would end a second time. fail.lua leaves it dead as it was.
			return ClaimedJob.unreadable(id, queue, token, "Job record is a dead job's");
		}
		return ClaimedJob.of(token, new JobRecord(id, name, queue, arguments, attemptsEnded + 1, maxAttempts, idempotencyKey,
				checkpoint, unknownSince, bean, enqueuedAt, traceparent));
	}

	private static @Nullable String string(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		parser.skipChildren();
		return null;
	}

}
