package io.gracefulworker.redis;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads a queue's kept outcomes in tests, from whichever index holds them
 * ({@link RedisOutcomeLayout}).
 */
public final class KeptOutcomes {

	private KeptOutcomes() {
	}

	/**
	 * Counts the outcomes a queue keeps.
	 * @param redis the Redis
	 * @param keys the queue's keys
	 * @return the ids in its finished sorted set and its outcomes list
	 */
	public static long count(StringRedisTemplate redis, RedisJobKeys keys) {
		return redis.opsForZSet().size(keys.finished()) + redis.opsForList().size(keys.outcomes());
	}

	/**
	 * Says whether a queue keeps a job's outcome.
	 * @param redis the Redis
	 * @param keys the queue's keys
	 * @param id the job id
	 * @return whether either index holds the id
	 */
	public static boolean isKept(StringRedisTemplate redis, RedisJobKeys keys, String id) {
		return redis.opsForZSet().score(keys.finished(), id) != null
				|| redis.opsForList().indexOf(keys.outcomes(), id) != null;
	}

}
