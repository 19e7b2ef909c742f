package io.gracefulworker.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.gracefulworker.core.QueueStats;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The queues for {@link RedisJobQueue}: which exist (every enqueue names its queue), which
 * workers consume each, and how many of a queue's jobs are in each state.
 */
final class RedisQueues {

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final Function<String, RedisJobKeys> keys;

	private final String queuesKey;

	RedisQueues(StringRedisTemplate redis, RedisJobScripts scripts, Function<String, RedisJobKeys> keys,
			String queuesKey) {
		this.redis = redis;
		this.scripts = scripts;
		this.keys = keys;
		this.queuesKey = queuesKey;
	}

	QueueStats stats(String queue) {
		RedisJobKeys k = this.keys.apply(queue);
		List<?> result = this.redis.execute(this.scripts.stats,
				List.of(k.ready(), k.scheduled(), k.leases(), k.dead(), k.jobs(), k.consumers(), k.succeeded(),
						k.owners()));
		long age = ((Number) result.get(4)).longValue();
		return new QueueStats(((Number) result.get(0)).longValue(), ((Number) result.get(1)).longValue(),
				((Number) result.get(2)).longValue(), ((Number) result.get(3)).longValue(),
				(age >= 0) ? Duration.ofMillis(age) : null, ((Number) result.get(5)).longValue(),
				((Number) result.get(6)).longValue());
	}

	void consume(String queue, String workerId, Duration ttl) {
		RedisJobKeys k = this.keys.apply(queue);
		this.redis.execute(this.scripts.consume, List.of(k.consumers()), workerId, String.valueOf(ttl.toMillis()));
	}

	Set<String> queues() {
		Set<String> queues = this.redis.opsForSet().members(this.queuesKey);
		return (queues != null) ? queues : Set.of();
	}

}
