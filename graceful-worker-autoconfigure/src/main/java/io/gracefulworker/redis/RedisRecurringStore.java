package io.gracefulworker.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.Recurring.Overlap;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.core.RecurringSchedule;
import io.gracefulworker.core.RecurringStore;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * Cron schedules kept beside their queue's jobs, under the queue's hash tag, so that a tick's
 * claim and its job's enqueue are one script on a Redis Cluster too: the schedule definitions
 * ({@code recurring}), their next ticks ({@code ticks}), who declares them ({@code declarers})
 * and what they fired ({@code recurring-state}).
 */
final class RedisRecurringStore implements RecurringStore {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final RedisJobRecords records;

	private final Function<String, RedisJobKeys> keys;

	private final String wakeChannel;

	RedisRecurringStore(StringRedisTemplate redis, RedisJobScripts scripts, RedisJobRecords records,
			Function<String, RedisJobKeys> keys, String wakeChannel) {
		this.redis = redis;
		this.scripts = scripts;
		this.records = records;
		this.keys = keys;
		this.wakeChannel = wakeChannel;
	}

	@Override
	public Instant now() {
		Long millis = this.redis.execute((RedisCallback<Long>) (connection) -> connection.serverCommands().time());
		return Instant.ofEpochMilli((millis != null) ? millis : System.currentTimeMillis());
	}

	@Override
	public void declare(String workerId, Collection<RecurringSchedule> schedules, Map<String, Instant> firstTicks) {
		Map<String, List<String>> byQueue = new LinkedHashMap<>();
		for (RecurringSchedule schedule : schedules) {
			List<String> args = byQueue.computeIfAbsent(schedule.queue(), (queue) -> new ArrayList<>(List.of(workerId)));
			Instant first = firstTicks.get(schedule.job());
			args.add(schedule.job());
			args.add(write(schedule));
			args.add((first != null) ? String.valueOf(first.toEpochMilli()) : "");
		}
		byQueue.forEach((queue, args) -> {
			RedisJobKeys k = this.keys.apply(queue);
			this.redis.execute(this.scripts.recurringDeclare, List.of(k.recurring(), k.ticks(), k.declarers()),
					args.toArray());
		});
	}

	@Override
	public DueTicks due(String queue, int limit) {
		RedisJobKeys k = this.keys.apply(queue);
		List<?> result = this.redis.execute(this.scripts.recurringDue, List.of(k.ticks(), k.recurring()),
				String.valueOf(limit));
		Instant now = Instant.ofEpochMilli(number(result.get(0)));
		long pending = number(result.get(1));
		List<Due> due = new ArrayList<>();
		for (int i = 2; i + 2 < result.size(); i += 3) {
			RecurringSchedule schedule = read((String) result.get(i + 2));
			if (schedule != null) {
				due.add(new Due(schedule, Instant.ofEpochMilli(number(result.get(i + 1)))));
			}
		}
		return new DueTicks(now, (pending >= 0) ? Instant.ofEpochMilli(pending) : null, due);
	}

	@Override
	public Map<String, FireResult> fire(String queue, List<Fire> fires) {
		RedisJobKeys k = this.keys.apply(queue);
		List<String> args = new ArrayList<>(List.of(this.wakeChannel, queue));
		for (Fire fire : fires) {
			args.add(fire.schedule().job());
			args.add(String.valueOf(fire.expectedTick().toEpochMilli()));
			args.add((fire.next() != null) ? String.valueOf(fire.next().toEpochMilli()) : "");
			args.add(String.valueOf(fire.skipped()));
			args.add((fire.schedule().overlap() == Overlap.SKIP) ? "1" : "0");
			args.add(String.valueOf(fire.jobs().size()));
			fire.jobs().forEach((tick, job) -> {
				args.add(job.id());
				args.add(this.records.write(job));
				args.add(String.valueOf(tick.toEpochMilli()));
			});
		}
		List<?> result = this.redis.execute(this.scripts.recurringFire,
				List.of(k.ready(), k.jobs(), k.ticks(), k.recurringState(), k.finished(), k.dead()), args.toArray());
		Map<String, FireResult> results = new LinkedHashMap<>();
		for (int i = 0; i + 3 < result.size(); i += 4) {
			results.put((String) result.get(i), new FireResult(number(result.get(i + 1)) == 1,
					(int) number(result.get(i + 2)), (int) number(result.get(i + 3))));
		}
		return results;
	}

	@Override
	public List<String> prune(String queue, Collection<String> liveWorkers, Duration grace) {
		RedisJobKeys k = this.keys.apply(queue);
		List<String> args = new ArrayList<>(List.of(String.valueOf(grace.toMillis())));
		args.addAll(liveWorkers);
		List<?> removed = this.redis.execute(this.scripts.recurringPrune,
				List.of(k.recurring(), k.ticks(), k.declarers(), k.recurringState()), args.toArray());
		return removed.stream().map(String.class::cast).toList();
	}

	@Override
	public boolean remove(String queue, String job) {
		RedisJobKeys k = this.keys.apply(queue);
		Long existed = this.redis.execute(this.scripts.recurringRemove,
				List.of(k.recurring(), k.ticks(), k.declarers(), k.recurringState()), job);
		return existed != null && existed == 1;
	}

	@Override
	public List<ScheduleState> schedules(String queue) {
		RedisJobKeys k = this.keys.apply(queue);
		Map<Object, Object> definitions = this.redis.opsForHash().entries(k.recurring());
		Map<Object, Object> state = this.redis.opsForHash().entries(k.recurringState());
		Map<Object, Object> declarers = this.redis.opsForHash().entries(k.declarers());
		Map<String, Long> nextTicks = new HashMap<>();
		Set<TypedTuple<String>> ticks = this.redis.opsForZSet().rangeWithScores(k.ticks(), 0, -1);
		if (ticks != null) {
			for (TypedTuple<String> tick : ticks) {
				if (tick.getValue() != null && tick.getScore() != null) {
					nextTicks.put(tick.getValue(), tick.getScore().longValue());
				}
			}
		}
		List<ScheduleState> schedules = new ArrayList<>();
		definitions.forEach((job, definition) -> {
			RecurringSchedule schedule = read((String) definition);
			if (schedule == null) {
				return;
			}
			Long next = nextTicks.get((String) job);
			Object lastTick = state.get(job + "|lastTick");
			List<String> by = new ArrayList<>();
			tree((String) declarers.getOrDefault(job, "{}")).propertyNames().forEach(by::add);
			schedules.add(new ScheduleState(schedule, (next != null) ? Instant.ofEpochMilli(next) : null,
					(lastTick != null) ? Instant.ofEpochMilli(Long.parseLong((String) lastTick)) : null,
					(String) state.get(job + "|lastJob"), count(state, job + "|fires"), count(state, job + "|missed"),
					count(state, job + "|overlap"), by));
		});
		schedules.sort((a, b) -> a.schedule().job().compareTo(b.schedule().job()));
		return schedules;
	}

	private static long count(Map<Object, Object> state, String field) {
		Object value = state.get(field);
		return (value != null) ? Long.parseLong((String) value) : 0;
	}

	private String write(RecurringSchedule schedule) {
		// Field by field in a fixed order: the declare script compares definitions as text.
		return this.mapper.writeValueAsString(this.mapper.createObjectNode()
			.put("job", schedule.job())
			.put("queue", schedule.queue())
			.put("cron", schedule.cron())
			.put("zone", schedule.zone().getId())
			.put("missedTicks", schedule.missedTicks().name())
			.put("overlap", schedule.overlap().name())
			.put("maxAttempts", schedule.maxAttempts()));
	}

	private @Nullable RecurringSchedule read(String raw) {
		try {
			JsonNode node = this.mapper.readTree(raw);
			return new RecurringSchedule(node.path("job").asString(), node.path("queue").asString(),
					node.path("cron").asString(), ZoneId.of(node.path("zone").asString()),
					MissedTicks.valueOf(node.path("missedTicks").asString()),
					Overlap.valueOf(node.path("overlap").asString()), node.path("maxAttempts").asInt(1));
		}
		catch (RuntimeException ex) {
			// A definition another release wrote differently is left out, not fatal to the pass.
			return null;
		}
	}

	private JsonNode tree(String raw) {
		try {
			return this.mapper.readTree(raw);
		}
		catch (JacksonException ex) {
			return this.mapper.createObjectNode();
		}
	}

	private static long number(Object value) {
		return (value instanceof Number number) ? number.longValue() : Long.parseLong(String.valueOf(value));
	}

}
