package io.gracefulworker.redis;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.gracefulworker.CancelResult;
import io.gracefulworker.JobStatus;
import io.gracefulworker.core.ClaimedJob;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Finds one job of a queue by id, and cancels jobs: a waiting one at once, a running one by a
 * request its worker reads, for {@link RedisJobQueue}.
 */
final class RedisJobLookup {

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final Function<String, RedisJobKeys> keys;

	private final RedisJobStatuses statuses;

	private final String cancelChannel;

	private final RedisOutcomeIndex outcomeIndex;

	RedisJobLookup(StringRedisTemplate redis, RedisJobScripts scripts, Function<String, RedisJobKeys> keys,
			RedisJobStatuses statuses, String cancelChannel, RedisOutcomeIndex outcomeIndex) {
		this.outcomeIndex = outcomeIndex;
		this.statuses = statuses;
		this.cancelChannel = cancelChannel;
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

	CancelResult cancel(String queue, String id, boolean interrupt) {
		RedisJobKeys k = this.keys.apply(queue);
		String result = this.redis.execute(this.scripts.cancel,
				List.of(k.jobs(), k.ready(), k.scheduled(), k.leases(), k.finished(), k.dead(), k.cancels(), k.owners(),
						k.outcomes()),
				id, interrupt ? "interrupt" : "flag", this.cancelChannel, this.outcomeIndex.name());
		return switch (String.valueOf(result)) {
			case "cancelled" -> CancelResult.CANCELLED;
			case "cancelling" -> CancelResult.CANCELLING;
			case "finished" -> CancelResult.FINISHED;
			case "dead" -> CancelResult.DEAD;
			default -> CancelResult.UNKNOWN;
		};
	}

	Map<String, Boolean> cancelRequests(String queue, Collection<ClaimedJob> jobs) {
		if (jobs.isEmpty()) {
			return Map.of();
		}
		List<String> ids = jobs.stream().map(ClaimedJob::id).toList();
		List<Object> modes = this.redis.opsForHash().multiGet(this.keys.apply(queue).cancels(), List.copyOf(ids));
		Map<String, Boolean> requests = new HashMap<>();
		for (int i = 0; i < ids.size(); i++) {
			if (modes.get(i) != null) {
				requests.put(ids.get(i), "interrupt".equals(modes.get(i)));
			}
		}
		return requests;
	}

	boolean cancelled(ClaimedJob job) {
		RedisJobKeys k = this.keys.apply(job.queue());
		return this.redis.execute(this.scripts.cancelled,
				List.of(k.leases(), k.owners(), k.jobs(), k.finished(), k.cancels(), k.outcomes()), job.id(),
				job.token(), this.outcomeIndex.name()) == 1L;
	}

	private List<?> find(String queue, String id) {
		RedisJobKeys k = this.keys.apply(queue);
		@Nullable List<?> found = this.redis.execute(this.scripts.status,
				List.of(k.jobs(), k.finished(), k.dead(), k.leases(), k.owners(), k.scheduled(), k.holders()), id);
		return (found != null) ? found : List.of();
	}

}
