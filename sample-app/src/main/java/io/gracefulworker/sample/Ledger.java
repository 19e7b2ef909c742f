package io.gracefulworker.sample;

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
	static final String ENQUEUED = "sample:{ledger}:enqueued";

	static final String EXECUTIONS = "sample:{ledger}:executions";

	static final String COMPLETED = "sample:{ledger}:completed";

	private static final RedisScript<Long> RECORD = RedisScript.of(
			"redis.call('HINCRBY', KEYS[1], ARGV[1], 1) return redis.call('INCR', KEYS[2])", Long.class);

	private final StringRedisTemplate redis;

	Ledger(StringRedisTemplate redis) {
		this.redis = redis;
	}

	void enqueued(int jobs) {
		this.redis.opsForValue().increment(ENQUEUED, jobs);
	}

	void executed(String job) {
		this.redis.execute(RECORD, List.of(COMPLETED, EXECUTIONS), job);
	}

	Map<String, Long> read() {
		long enqueued = number(this.redis.opsForValue().get(ENQUEUED));
		long executions = number(this.redis.opsForValue().get(EXECUTIONS));
		long completed = this.redis.opsForHash().size(COMPLETED);
		return Map.of("enqueued", enqueued, "completed", completed, "executions", executions, "duplicates",
				executions - completed, "missing", enqueued - completed);
	}

	void reset() {
		this.redis.delete(List.of(ENQUEUED, EXECUTIONS, COMPLETED));
	}

	private static long number(String value) {
		return (value != null) ? Long.parseLong(value) : 0;
	}

}
