package io.gracefulworker.sample;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Counts in Redis what the demo enqueued and what ran, across every instance of the sample: the
 * proof that a rollout lost nothing and ran nothing twice.
 */
@Component
public class Ledger {

	// One hash tag, so that the recording script's keys share a Redis Cluster slot.
	static final String ENQUEUED = "sample:{ledger}:acknowledged";

	static final String EXECUTIONS = "sample:{ledger}:executions";

	static final String COMPLETED = "sample:{ledger}:completed";

	private static final RedisScript<Long> RECORD = RedisScript.of(
			"redis.call('HINCRBY', KEYS[1], ARGV[1], 1) return redis.call('INCR', KEYS[2])", Long.class);

	// One script reads every count, so that a job completing meanwhile cannot show as more
	// completions than executions. Missing: acknowledged jobs that never completed; a job whose
	// enqueue timed out at the caller may be stored and run all the same, but it is not
	// acknowledged, so it is never counted as missing.
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> READ = RedisScript.of("""
			local missing = 0
			for _, job in ipairs(redis.call('SMEMBERS', KEYS[1])) do
				if redis.call('HEXISTS', KEYS[2], job) == 0 then missing = missing + 1 end
			end
			return { redis.call('SCARD', KEYS[1]), redis.call('HLEN', KEYS[2]),
				tonumber(redis.call('GET', KEYS[3]) or '0'), missing }""", List.class);

	private final StringRedisTemplate redis;

	Ledger(StringRedisTemplate redis) {
		this.redis = redis;
	}

	void enqueued(Collection<String> jobs) {
		if (!jobs.isEmpty()) {
			this.redis.opsForSet().add(ENQUEUED, jobs.toArray(String[]::new));
		}
	}

	void executed(String job) {
		this.redis.execute(RECORD, List.of(COMPLETED, EXECUTIONS), job);
	}

	Map<String, Long> read() {
		List<?> counts = this.redis.execute(READ, List.of(ENQUEUED, COMPLETED, EXECUTIONS));
		long enqueued = ((Number) counts.get(0)).longValue();
		long completed = ((Number) counts.get(1)).longValue();
		long executions = ((Number) counts.get(2)).longValue();
		return Map.of("enqueued", enqueued, "completed", completed, "executions", executions, "duplicates",
				executions - completed, "missing", ((Number) counts.get(3)).longValue());
	}

	void reset() {
		this.redis.delete(List.of(ENQUEUED, EXECUTIONS, COMPLETED));
	}

}
