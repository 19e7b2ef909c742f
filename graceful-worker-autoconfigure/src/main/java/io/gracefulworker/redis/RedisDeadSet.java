package io.gracefulworker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.gracefulworker.JobStatus;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.TrimResult;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A queue's dead set for {@link RedisJobQueue}: listed newest first in bounded scans, retried
 * and deleted a bounded number of ids to a script, and trimmed to its retention together with
 * the kept outcomes of succeeded jobs.
 */
final class RedisDeadSet {

	// Entries one script scans or changes: a call stays short however large the set is.
	private static final int CHUNK = 500;

	// Chunks one recovery pass trims at most: 10,000 ended jobs a queue.
	private static final int TRIM_ROUNDS = 20;

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final Function<String, RedisJobKeys> keys;

	private final JobRetention retention;

	private final String wakeChannel;

	private final RedisJobStatuses statuses;

	private final RedisOutcomeIndex outcomeIndex;

	RedisDeadSet(StringRedisTemplate redis, RedisJobScripts scripts, Function<String, RedisJobKeys> keys,
			RedisJobStatuses statuses, JobRetention retention, String wakeChannel, RedisOutcomeIndex outcomeIndex) {
		this.outcomeIndex = outcomeIndex;
		this.statuses = statuses;
		this.redis = redis;
		this.scripts = scripts;
		this.keys = keys;
		this.retention = retention;
		this.wakeChannel = wakeChannel;
	}

	JobQueue.DeadJobs list(String queue, @Nullable String name, @Nullable String reason, int skip, int limit) {
		List<JobStatus> jobs = new ArrayList<>();
		int[] skipped = { 0 };
		boolean more = scan(queue, name, reason, false, (id, score, raw) -> {
			if (skipped[0] < skip) {
				skipped[0]++;
				return true;
			}
			if (jobs.size() == limit) {
				return false;
			}
			jobs.add(this.statuses.read(id, queue, "dead", raw, score, null));
			return true;
		});
		return new JobQueue.DeadJobs(jobs, more);
	}

	List<String> ids(String queue, @Nullable String name, @Nullable String reason) {
		List<String> ids = new ArrayList<>();
		scan(queue, name, reason, true, (id, score, raw) -> ids.add(id));
		return ids;
	}

	int retry(String queue, List<String> ids) {
		RedisJobKeys k = this.keys.apply(queue);
		int moved = 0;
		for (List<String> chunk : chunks(ids)) {
			List<String> args = new ArrayList<>(chunk.size() + 2);
			args.add(this.wakeChannel);
			args.add(queue);
			args.addAll(chunk);
			Long count = this.redis.execute(this.scripts.deadRetry, List.of(k.dead(), k.jobs(), k.ready()),
					args.toArray());
			moved += (count != null) ? count.intValue() : 0;
		}
		return moved;
	}

	int delete(String queue, List<String> ids) {
		RedisJobKeys k = this.keys.apply(queue);
		int deleted = 0;
		for (List<String> chunk : chunks(ids)) {
			Long count = this.redis.execute(this.scripts.deadDelete, List.of(k.dead(), k.jobs(), k.idempotency()),
					chunk.toArray());
			deleted += (count != null) ? count.intValue() : 0;
		}
		return deleted;
	}

	/**
	 * Trims a queue a chunk per script, until a script finds less than a chunk to remove (or, while
	 * outcomes go to the sorted set, to move there from the list) or the pass has taken its share
	 * ({@value #TRIM_ROUNDS} chunks).
	 */
	TrimResult trim(String queue) {
		RedisJobKeys k = this.keys.apply(queue);
		int finished = 0;
		int dead = 0;
		long deadLeft = -1;
		for (int round = 0; round < TRIM_ROUNDS; round++) {
			List<?> result = this.redis.execute(this.scripts.trim,
					List.of(k.jobs(), k.finished(), k.dead(), k.idempotency(), k.outcomes()),
					String.valueOf(this.retention.succeeded().toMillis()), String.valueOf(this.retention.succeededMax()),
					String.valueOf(this.retention.dead().toMillis()), String.valueOf(this.retention.deadMax()),
					String.valueOf(CHUNK), this.outcomeIndex.name());
			int removedFinished = ((Number) result.get(0)).intValue();
			int removedDead = ((Number) result.get(1)).intValue();
			finished += removedFinished;
			dead += removedDead;
			deadLeft = ((Number) result.get(2)).longValue();
			int moved = ((Number) result.get(3)).intValue();
			if (removedFinished < CHUNK && removedDead < CHUNK && moved < CHUNK) {
				break;
			}
		}
		return new TrimResult(finished, dead, deadLeft);
	}

	/**
	 * Scans the dead set newest first, a chunk per script, until the visitor says stop.
	 * @return whether the visitor stopped before the end
	 */
	private boolean scan(String queue, @Nullable String name, @Nullable String reason, boolean idsOnly,
			Visitor visitor) {
		RedisJobKeys k = this.keys.apply(queue);
		long start = 0;
		while (start >= 0) {
			List<?> page = this.redis.execute(this.scripts.deadList, List.of(k.dead(), k.jobs()), String.valueOf(start),
					String.valueOf(CHUNK), (name != null) ? name : "", (reason != null) ? reason : "",
					String.valueOf(CHUNK), idsOnly ? "1" : "0");
			for (int i = 1; i + 2 < page.size(); i += 3) {
				if (!visitor.visit((String) page.get(i), (long) Double.parseDouble((String) page.get(i + 1)),
						(String) page.get(i + 2))) {
					return true;
				}
			}
			start = ((Number) page.get(0)).longValue();
		}
		return false;
	}

	private static List<List<String>> chunks(List<String> ids) {
		List<List<String>> chunks = new ArrayList<>();
		for (int from = 0; from < ids.size(); from += CHUNK) {
			chunks.add(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
		}
		return chunks;
	}

	@FunctionalInterface
	private interface Visitor {

		boolean visit(String id, long score, String raw);

	}

}
