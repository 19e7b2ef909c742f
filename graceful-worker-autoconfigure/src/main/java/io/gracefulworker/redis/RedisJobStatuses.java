package io.gracefulworker.redis;

import java.time.Instant;
import java.util.Optional;

import io.gracefulworker.JobId;
import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a job's status from its stored record (a job's record, or the outcome kept in its
 * place) and where the scripts found it. Not on the hot path, so records are read as trees.
 */
final class RedisJobStatuses {

	private final JsonMapper mapper = JsonMapper.builder().build();

	/**
	 * Reads a status.
	 * @param id the job id
	 * @param queue the queue
	 * @param where where the job was found: {@code ready}, {@code scheduled}, {@code running},
	 * {@code dead} or {@code finished}
	 * @param raw the stored record
	 * @param score the time of the set the job was found in (due, lease expiry, death, end), if
	 * any
	 * @param token the lease's token of a running job, if any
	 * @return the status
	 */
	JobStatus read(String id, String queue, String where, String raw, @Nullable Long score, @Nullable String token) {
		JsonNode record = tree(raw);
		int ended = record.path("attempt").asInt(0);
		JobState state = switch (where) {
			case "finished" -> "cancelled".equals(record.path("state").asString("")) ? JobState.CANCELLED
					: JobState.SUCCEEDED;
			case "dead" -> JobState.DEAD;
			case "running" -> JobState.RUNNING;
			case "scheduled" -> JobState.SCHEDULED;
			default -> JobState.READY;
		};
		// A running job is on the attempt after those that ended; a kept outcome counts its own.
		int attempt = (state == JobState.RUNNING) ? ended + 1 : ended;
		String worker = (token != null) ? workerOf(token) : text(record, "worker");
		Instant startedAt = (state == JobState.SUCCEEDED) ? instant(record, "startedAt") : null;
		return new JobStatus(new JobId(id), record.path("name").asString("?"), queue, state, attempt,
				record.path("maxAttempts").asInt(1), instant(record, "enqueuedAt"),
				(state == JobState.SCHEDULED && score != null) ? Instant.ofEpochMilli(score) : null, startedAt,
				(where.equals("finished") || where.equals("dead")) && score != null ? Instant.ofEpochMilli(score) : null,
				(state == JobState.RUNNING || state == JobState.SUCCEEDED) ? worker : null, lastError(record),
				record.path("requeues").asInt(0), text(record, "requeueReason"), record.path("retries").asInt(0));
	}

	/**
	 * Returns the arguments of a stored record, unless it is a kept outcome (which has none).
	 * @param raw the record
	 * @return the arguments as JSON
	 */
	Optional<String> arguments(String raw) {
		return Optional.ofNullable(text(tree(raw), "args"));
	}

	private JsonNode tree(String raw) {
		try {
			JsonNode node = this.mapper.readTree(RedisJobRecords.json(raw));
			return (node != null && node.isObject()) ? node : this.mapper.createObjectNode();
		}
		catch (JacksonException ex) {
			return this.mapper.createObjectNode();
		}
	}

	/**
	 * The worker's id from a lease token, which a worker makes as {@code workerId:claim:n}.
	 */
	static String workerOf(String token) {
		int last = token.lastIndexOf(':');
		int before = (last > 0) ? token.lastIndexOf(':', last - 1) : -1;
		return (before > 0) ? token.substring(0, before) : token;
	}

	private static JobStatus.@Nullable LastError lastError(JsonNode record) {
		JsonNode error = record.path("error");
		if (!error.isObject()) {
			return null;
		}
		return new JobStatus.LastError(error.path("reason").asString("failed"), text(error, "type"),
				error.path("message").asString(""), text(error, "stack"), instant(error, "at"));
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isString() ? value.asString() : null;
	}

	private static @Nullable Instant instant(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return value.isNumber() ? Instant.ofEpochMilli(value.asLong()) : null;
	}

}
