package io.gracefulworker.redis;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.gracefulworker.CancelResult;
import io.gracefulworker.JobStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Finds one job of a queue by id and cancels a waiting one, for {@link RedisJobQueue}.
 */
final class RedisJobLookup {

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final Function<String, RedisJobKeys> keys;

	private final RedisJobStatuses statuses = new RedisJobStatuses();

	RedisJobLookup(StringRedisTemplate redis, RedisJobScripts scripts, Function<String, RedisJobKeys> keys) {
		this.redis = redis;
		this.scripts = scripts;
		this.keys = keys;
	}

	Optional<JobStatus> status(String queue, String id) {
		List<?> found = find(queue, id);
		if (found.size() < 2) {
			return Optional.empty();
		}
		Long score = (found.size() > 2) ? (long) Double.parseDouble((String) found.get(2)) : null;
		String token = (found.size() > 3) ? (String) found.get(3) : null;
		return Optional.of(this.statuses.read(id, queue, (String) found.get(0), (String) found.get(1), score,
				(token != null && !token.isEmpty()) ? token : null));
	}

	Optional<String> arguments(String queue, String id) {
		List<?> found = find(queue, id);
		return (found.size() < 2) ? Optional.empty() : this.statuses.arguments((String) found.get(1));
	}

	CancelResult cancel(String queue, String id) {
		RedisJobKeys k = this.keys.apply(queue);
		String result = this.redis.execute(this.scripts.cancel,
				List.of(k.jobs(), k.ready(), k.scheduled(), k.leases(), k.finished(), k.dead()), id);
		return switch (String.valueOf(result)) {
			case "cancelled" -> CancelResult.CANCELLED;
			case "running" -> CancelResult.RUNNING;
			case "finished" -> CancelResult.FINISHED;
			case "dead" -> CancelResult.DEAD;
			default -> CancelResult.UNKNOWN;
		};
	}

	private List<?> find(String queue, String id) {
		RedisJobKeys k = this.keys.apply(queue);
		@Nullable List<?> found = this.redis.execute(this.scripts.status,
				List.of(k.jobs(), k.finished(), k.dead(), k.leases(), k.owners(), k.scheduled()), id);
		return (found != null) ? found : List.of();
	}

}
