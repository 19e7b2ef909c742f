package io.gracefulworker.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.gracefulworker.JobNotConfirmedException;
import io.gracefulworker.JobNotStoredException;
import io.gracefulworker.core.NewJob;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Stores new jobs for {@link RedisJobQueue}: one to a script, or a queue's jobs a thousand to a
 * script; confirmed by replicas when asked for; and Redis's refusals (out of memory, without
 * enough replicas, a replica after a failover) turned into {@link JobNotStoredException}.
 */
final class RedisJobEnqueuer {

	// Jobs per batch script: unpacking more into one Redis call would strain Lua's stack.
	private static final int BATCH = 1000;

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final RedisJobRecords records;

	private final Function<String, RedisJobKeys> keys;

	private final String wakeChannel;

	private final String queuesKey;

	private final RedisReplicaWait replicaWait;

	private final Set<String> announced = ConcurrentHashMap.newKeySet();

	RedisJobEnqueuer(StringRedisTemplate redis, RedisJobScripts scripts, RedisJobRecords records,
			Function<String, RedisJobKeys> keys, String wakeChannel, String queuesKey, RedisReplicaWait replicaWait) {
		this.redis = redis;
		this.scripts = scripts;
		this.records = records;
		this.keys = keys;
		this.wakeChannel = wakeChannel;
		this.queuesKey = queuesKey;
		this.replicaWait = replicaWait;
	}

	String enqueue(NewJob job) {
		String id;
		try {
			id = this.replicaWait.isEnabled() ? this.redis.execute(new Confirmed<>(job.queue(), () -> store(job),
					(stored) -> "Job '" + job.name() + "' (" + stored + ") was")) : store(job);
		}
		catch (DataAccessException ex) {
			String refusal = refusal(ex);
			if (refusal != null) {
				throw new JobNotStoredException(refusal + ": job '" + job.name() + "' was not stored; try again", ex);
			}
			throw ex;
		}
		announce(job.queue());
		return Objects.requireNonNull(id);
	}

	/**
	 * Adds the queue to the set of queues, once per queue and process, so that the endpoint can
	 * find queues nobody consumes; the jobs are stored either way.
	 */
	private void announce(String queue) {
		if (!this.announced.contains(queue)) {
			try {
				this.redis.opsForSet().add(this.queuesKey, queue);
				this.announced.add(queue);
			}
			catch (DataAccessException ex) {
				// tried again with the next job of this queue
			}
		}
	}

	List<String> enqueueAll(List<NewJob> jobs) {
		List<String> ids = new ArrayList<>(jobs.size());
		int stored = 0;
		try {
			Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
			for (int i = 0; i < jobs.size(); i++) {
				byQueue.computeIfAbsent(jobs.get(i).queue(), (queue) -> new ArrayList<>()).add(i);
				ids.add("");
			}
			for (Map.Entry<String, List<Integer>> queue : byQueue.entrySet()) {
				List<Integer> indexes = queue.getValue();
				for (int from = 0; from < indexes.size(); from += BATCH) {
					List<Integer> chunk = indexes.subList(from, Math.min(indexes.size(), from + BATCH));
					List<?> chunkIds = this.replicaWait.isEnabled()
							? this.redis.execute(new Confirmed<>(queue.getKey(), () -> storeAll(queue.getKey(), jobs, chunk),
									(ignored) -> "A batch of " + chunk.size() + " jobs in queue '" + queue.getKey() + "' was"))
							: storeAll(queue.getKey(), jobs, chunk);
					for (int n = 0; n < chunk.size(); n++) {
						ids.set(chunk.get(n), (String) Objects.requireNonNull(chunkIds).get(n));
					}
					stored += chunk.size();
				}
				announce(queue.getKey());
			}
		}
		catch (DataAccessException ex) {
			String refusal = refusal(ex);
			if (refusal != null) {
				throw new JobNotStoredException(refusal + ": " + stored + " of " + jobs.size()
						+ " jobs were stored before; try again (idempotency keys make a retry store each job once)", ex);
			}
			throw ex;
		}
		return ids;
	}

	private List<?> storeAll(String queue, List<NewJob> jobs, List<Integer> chunk) {
		RedisJobKeys k = this.keys.apply(queue);
		Object[] args = new Object[2 + chunk.size() * 5];
		args[0] = this.wakeChannel;
		args[1] = queue;
		int a = 2;
		for (int index : chunk) {
			NewJob job = jobs.get(index);
			args[a++] = job.id();
			args[a++] = this.records.write(job);
			args[a++] = String.valueOf((job.runAt() != null) ? Math.max(1, job.runAt().toEpochMilli()) : 0);
			args[a++] = String.valueOf((job.delay() != null) ? job.delay().toMillis() : 0);
			args[a++] = (job.idempotencyKey() != null) ? job.idempotencyKey() : "";
		}
		return this.redis.execute(this.scripts.enqueueBatch,
				List.of(k.ready(), k.scheduled(), k.jobs(), k.idempotency()), args);
	}

	private String store(NewJob job) {
		RedisJobKeys k = this.keys.apply(job.queue());
		long runAt = (job.runAt() != null) ? Math.max(1, job.runAt().toEpochMilli()) : 0;
		long delay = (job.delay() != null) ? job.delay().toMillis() : 0;
		return this.redis.execute(this.scripts.enqueue, List.of(k.ready(), k.scheduled(), k.jobs(), k.idempotency()),
				job.id(), this.records.write(job), String.valueOf(runAt), String.valueOf(delay),
				(job.idempotencyKey() != null) ? job.idempotencyKey() : "", this.wakeChannel, job.queue());
	}

	/**
	 * Why Redis refused a write, in words for the caller, or {@code null} when it is not a
	 * refusal (a timeout, a lost connection: the write may have happened).
	 */
	private static @Nullable String refusal(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			String message = current.getMessage();
			if (message == null) {
				continue;
			}
			if (message.startsWith("OOM ")) {
				return "Redis is out of memory (maxmemory reached); wait until workers have freed memory, or give Redis"
						+ " more";
			}
			if (message.startsWith("NOREPLICAS")) {
				return "Redis has fewer replicas in sync than its min-replicas-to-write";
			}
			if (message.startsWith("READONLY")) {
				return "Redis answered as a replica (a failover is under way)";
			}
		}
		return null;
	}

	/**
	 * Stores jobs and waits for the replicas on the connection that stored them, bound to this
	 * callback.
	 */
	private final class Confirmed<T> implements SessionCallback<T> {

		private final String queue;

		private final Supplier<T> store;

		private final Function<T, String> what;

		Confirmed(String queue, Supplier<T> store, Function<T, String> what) {
			this.queue = queue;
			this.store = store;
			this.what = what;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <K, V> T execute(RedisOperations<K, V> operations) {
			T stored = this.store.get();
			RedisReplicaWait wait = RedisJobEnqueuer.this.replicaWait;
			String key = RedisJobEnqueuer.this.keys.apply(this.queue).jobs();
			Long acknowledged = operations.execute((RedisCallback<Long>) (connection) -> wait.await(connection, key));
			if (acknowledged == null || acknowledged < wait.replicas()) {
				throw new JobNotConfirmedException(this.what.apply(stored) + " stored on the Redis master, but "
						+ acknowledged + " of " + wait.replicas() + " replicas acknowledged it within "
						+ wait.timeout().toMillis() + " ms (graceful-worker.enqueue.replicas): a failover now could"
						+ " lose it. Enqueue it again with the same idempotency key");
			}
			return stored;
		}

	}

}
