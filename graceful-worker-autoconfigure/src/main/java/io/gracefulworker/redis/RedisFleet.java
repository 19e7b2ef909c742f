package io.gracefulworker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.gracefulworker.WorkerState;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.TruncatedDrain;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The fleet registry for {@link RedisJobQueue}: one hash of worker entries and one sorted set of
 * when each lapses, both under the hash tag {@code {fleet}} so that a script reaches both on a
 * Redis Cluster. Written once per heartbeat and state change per worker, never per job.
 */
final class RedisFleet {

	// The layouts this build reads and honours, which its workers list in their entries.
	private static final List<RedisRecordLayout> RECORDS = List.of(RedisRecordLayout.JSON, RedisRecordLayout.COMPACT);

	private static final List<RedisLeaseLayout> LEASES = List.of(RedisLeaseLayout.PER_JOB, RedisLeaseLayout.PER_WORKER);

	private static final List<RedisOutcomeLayout> OUTCOMES = List.of(RedisOutcomeLayout.SORTED_SET,
			RedisOutcomeLayout.LIST);

	private static final String RECORD_LAYOUTS = "recordLayouts";

	private static final String LEASE_LAYOUTS = "leaseLayouts";

	private static final String OUTCOME_LAYOUTS = "outcomeLayouts";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	// The workers' entries, when each lapses, and the latest truncated drains.
	private final List<String> keys;

	RedisFleet(StringRedisTemplate redis, RedisJobScripts scripts, String prefix) {
		this.redis = redis;
		this.scripts = scripts;
		this.keys = List.of(prefix + ":{fleet}:workers", prefix + ":{fleet}:lapses", prefix + ":{fleet}:truncated");
	}

	List<TruncatedDrain> publish(FleetEntry entry, Duration lapse) {
		return truncated(this.redis.execute(this.scripts.fleetPublish, this.keys, entry.workerId(), write(entry),
				String.valueOf(lapse.toMillis())));
	}

	List<TruncatedDrain> truncatedDrains() {
		return truncated(this.redis.opsForList().range(this.keys.get(2), 0, 19));
	}

	private List<TruncatedDrain> truncated(@Nullable List<?> reports) {
		List<TruncatedDrain> truncated = new ArrayList<>();
		if (reports != null) {
			for (Object report : reports) {
				FleetEntry entry = read((String) report);
				JsonNode detected = tree((String) report).path("detectedAt");
				if (entry != null && entry.stopBy() != null) {
					truncated.add(new TruncatedDrain(entry.workerId(), entry.host(), entry.version(), entry.jobIds(),
							entry.publishedAt(), entry.stopBy(), Duration.between(entry.publishedAt(), entry.stopBy()),
							Instant.ofEpochMilli(detected.asLong())));
				}
			}
		}
		return truncated;
	}

	private JsonNode tree(String raw) {
		try {
			return this.mapper.readTree(raw);
		}
		catch (JacksonException ex) {
			return this.mapper.createObjectNode();
		}
	}

	void leave(String workerId) {
		this.redis.execute(this.scripts.fleetPublish, this.keys, workerId, "", "-1");
	}

	/**
	 * Counts the live workers, those of them that read compact records, those that honour
	 * leases kept per worker and those that read outcomes kept in lists.
	 * @return the counts
	 */
	Layouts layouts() {
		List<?> counts = this.redis.execute(this.scripts.fleetReads, this.keys.subList(0, 2), RECORD_LAYOUTS,
				name(RedisRecordLayout.COMPACT), LEASE_LAYOUTS, name(RedisLeaseLayout.PER_WORKER), OUTCOME_LAYOUTS,
				name(RedisOutcomeLayout.LIST));
		if (counts == null || counts.size() != 4) {
			throw new IllegalStateException("The fleet registry answered " + counts + " when asked for its layouts");
		}
		return new Layouts(((Number) counts.get(0)).intValue(), ((Number) counts.get(1)).intValue(),
				((Number) counts.get(2)).intValue(), ((Number) counts.get(3)).intValue());
	}

	List<FleetEntry> fleet() {
		List<?> entries = this.redis.execute(this.scripts.fleet, this.keys);
		List<FleetEntry> fleet = new ArrayList<>();
		if (entries != null) {
			for (Object entry : entries) {
				FleetEntry read = read((String) entry);
				if (read != null) {
					fleet.add(read);
				}
			}
		}
		return fleet;
	}

	private static String name(Enum<?> layout) {
		return layout.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private String write(FleetEntry entry) {
		ObjectNode node = this.mapper.createObjectNode()
			.put("workerId", entry.workerId())
			.put("host", entry.host())
			.put("version", entry.version())
			.put("state", entry.state().name())
			.put("since", entry.since().toEpochMilli())
			.put("concurrency", entry.concurrency())
			.put("running", entry.running())
			.put("publishedAt", entry.publishedAt().toEpochMilli());
		ArrayNode records = node.putArray(RECORD_LAYOUTS);
		RECORDS.forEach((layout) -> records.add(name(layout)));
		ArrayNode leases = node.putArray(LEASE_LAYOUTS);
		LEASES.forEach((layout) -> leases.add(name(layout)));
		ArrayNode outcomes = node.putArray(OUTCOME_LAYOUTS);
		OUTCOMES.forEach((layout) -> outcomes.add(name(layout)));
		ArrayNode jobs = node.putArray("jobIds");
		entry.jobIds().forEach(jobs::add);
		if (entry.drainDeadline() != null) {
			node.put("drainDeadline", entry.drainDeadline().toEpochMilli());
		}
		if (entry.stopBy() != null) {
			node.put("stopBy", entry.stopBy().toEpochMilli());
		}
		return this.mapper.writeValueAsString(node);
	}

	private @Nullable FleetEntry read(String raw) {
		try {
			JsonNode node = this.mapper.readTree(raw);
			List<String> jobIds = new ArrayList<>();
			node.path("jobIds").forEach((id) -> jobIds.add(id.asString()));
			JsonNode deadline = node.path("drainDeadline");
			JsonNode stopBy = node.path("stopBy");
			JsonNode version = node.path("version");
			return new FleetEntry(node.path("workerId").asString(), node.path("host").asString(""),
					version.isString() ? version.asString() : null, WorkerState.valueOf(node.path("state").asString()),
					Instant.ofEpochMilli(node.path("since").asLong()), node.path("concurrency").asInt(),
					node.path("running").asInt(), jobIds,
					deadline.isNumber() ? Instant.ofEpochMilli(deadline.asLong()) : null,
					stopBy.isNumber() ? Instant.ofEpochMilli(stopBy.asLong()) : null,
					Instant.ofEpochMilli(node.path("publishedAt").asLong()));
		}
		catch (JacksonException | IllegalArgumentException ex) {
			// An entry another release wrote differently is left out, not fatal to the listing.
			return null;
		}
	}

	/**
	 * How many workers are live, and how many of them read compact records, honour leases kept
	 * per worker and read outcomes kept in lists.
	 *
	 * @param live the workers whose entries have not lapsed
	 * @param compactRecords those of them that read compact records
	 * @param leasesPerWorker those of them that honour leases kept per worker
	 * @param outcomeLists those of them that read outcomes kept in lists
	 */
	record Layouts(int live, int compactRecords, int leasesPerWorker, int outcomeLists) {

	}

}
