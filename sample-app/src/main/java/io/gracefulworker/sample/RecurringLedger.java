package io.gracefulworker.sample;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import io.gracefulworker.RecurringJobs;
import io.gracefulworker.core.CronTicks;
import io.gracefulworker.core.RecurringStore.ScheduleState;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Counts in Redis each run of the sample's recurring job by the tick it was fired for, across
 * every instance: the proof that each tick fired once, none twice and none missed.
 */
@Component
public class RecurringLedger {

	static final String JOB = "demo.recurring";

	private static final String RUNS = "sample:{recurring}:runs";

	private final StringRedisTemplate redis;

	private final RecurringJobs recurring;

	RecurringLedger(StringRedisTemplate redis, RecurringJobs recurring) {
		this.redis = redis;
		this.recurring = recurring;
	}

	void ran(Instant tick) {
		this.redis.opsForHash().increment(RUNS, String.valueOf(tick.toEpochMilli()), 1);
	}

	void reset() {
		this.redis.delete(RUNS);
	}

	/**
	 * Reads the ledger: runs, distinct ticks, runs beyond one per tick, and the ticks of the
	 * schedule between the first and the last run that never ran.
	 * @return the counts, with the first and last tick
	 */
	Map<String, Object> read() {
		TreeMap<Long, Long> runs = new TreeMap<>();
		this.redis.opsForHash()
			.entries(RUNS)
			.forEach((tick, count) -> runs.put(Long.valueOf((String) tick), Long.valueOf((String) count)));
		long fires = runs.values().stream().mapToLong(Long::longValue).sum();
		long missed = 0;
		CronTicks ticks = ticks();
		if (!runs.isEmpty() && ticks != null) {
			Instant last = Instant.ofEpochMilli(runs.lastKey());
			for (Instant tick = ticks.after(Instant.ofEpochMilli(runs.firstKey())); tick != null
					&& tick.isBefore(last); tick = ticks.after(tick)) {
				if (!runs.containsKey(tick.toEpochMilli())) {
					missed++;
				}
			}
		}
		Map<String, Object> ledger = new LinkedHashMap<>();
		ledger.put("fires", fires);
		ledger.put("ticks", runs.size());
		ledger.put("duplicateTicks", fires - runs.size());
		ledger.put("missedTicks", missed);
		ledger.put("firstTick", runs.isEmpty() ? null : Instant.ofEpochMilli(runs.firstKey()));
		ledger.put("lastTick", runs.isEmpty() ? null : Instant.ofEpochMilli(runs.lastKey()));
		return ledger;
	}

	private CronTicks ticks() {
		for (ScheduleState state : this.recurring.schedules()) {
			if (state.schedule().job().equals(JOB)) {
				return new CronTicks(state.schedule().cron(), state.schedule().zone());
			}
		}
		return null;
	}

}
