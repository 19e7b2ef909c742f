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
 * Stores new jobs for {@link RedisJobQueue}, a queue's jobs up to a thousand to a script: those of
 * one batch, or single enqueues that arrive together; confirmed by replicas when asked for; and Redis's refusals (out of memory, without
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

	private final Map<String, GroupCommit<NewJob, Batch>> groups = new ConcurrentHashMap<>();

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

	/**
	 * Stores one job. Jobs of one queue that callers enqueue while another call of theirs is in
	 * flight go to Redis together in the next call (see {@link GroupCommit}): one script for
	 * many jobs under load, and no added wait for a lone job.
	 */
	String enqueue(NewJob job) {
		GroupCommit.Stored<NewJob, Batch> stored;
		try {
			stored = this.groups.computeIfAbsent(job.queue(),
					(queue) -> new GroupCommit<>(BATCH, (jobs) -> storeConfirmed(queue, jobs)))
				.submit(job);
		}
		catch (DataAccessException ex) {
			String refusal = refusal(ex);
			if (refusal != null) {
				throw new JobNotStoredException(refusal + ": job '" + job.name() + "' was not stored; try again", ex);
			}
			throw ex;
		}
		String id = (String) stored.result().ids().get(stored.index());
		stored.result().confirm(() -> "Job '" + job.name() + "' (" + id + ") was");
		announce(job.queue());
		return id;
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
					Batch batch = storeConfirmed(queue.getKey(), chunk.stream().map(jobs::get).toList());
					batch.confirm(() -> "A batch of " + chunk.size() + " jobs in queue '" + queue.getKey() + "' was");
					for (int n = 0; n < chunk.size(); n++) {
						ids.set(chunk.get(n), (String) batch.ids().get(n));
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

	/**
	 * Stores jobs of one queue with one script and, when replicas must confirm, waits for them on
	 * the connection that stored the jobs.
	 */
	private Batch storeConfirmed(String queue, List<NewJob> jobs) {
		if (!this.replicaWait.isEnabled()) {
			return new Batch(store(queue, jobs), -1, this.replicaWait);
		}
		return Objects.requireNonNull(this.redis.execute(new SessionCallback<Batch>() {

			@Override
			@SuppressWarnings("unchecked")
			public <K, V> Batch execute(RedisOperations<K, V> operations) {
				List<?> ids = store(queue, jobs);
				RedisReplicaWait wait = RedisJobEnqueuer.this.replicaWait;
				String key = RedisJobEnqueuer.this.keys.apply(queue).jobs();
				Long acknowledged = operations.execute((RedisCallback<Long>) (connection) -> wait.await(connection, key));
				return new Batch(ids, (acknowledged != null) ? acknowledged : 0, wait);
			}

		}));
	}

	private List<?> store(String queue, List<NewJob> jobs) {
		RedisJobKeys k = this.keys.apply(queue);
		boolean plain = true;
		boolean readyNow = true;
		for (NewJob job : jobs) {
			plain = plain && job.idempotencyKey() == null;
			readyNow = readyNow && job.runAt() == null && job.delay() == null;
		}
		plain = plain && readyNow;
		Object[] args = new Object[3 + jobs.size() * (plain ? 2 : 3)];
		args[0] = this.wakeChannel;
		args[1] = queue;
		args[2] = plain ? "plain" : readyNow ? "keys" : "options";
		int a = 3;
		for (NewJob job : jobs) {
			args[a++] = job.id();
			args[a++] = this.records.write(job);
			if (!plain) {
				// Keys alone, as most options are, go as they are: the script parses nothing.
				args[a++] = readyNow ? Objects.requireNonNullElse(job.idempotencyKey(), "") : options(job);
			}
		}
		List<?> stored = this.redis.execute(this.scripts.enqueueBatch,
				List.of(k.ready(), k.scheduled(), k.jobs(), k.idempotency(), k.waiting(), k.owners(), k.leases(),
						k.handOffs()),
				args);
		// A plain batch is stored under the ids it came with, which the script does not return.
		return plain ? jobs.stream().map(NewJob::id).toList() : stored;
	}

	/**
	 * Says when a job is due and its idempotency key as the script reads them: nothing for a
	 * job ready now without a key, else {@code run_at:delay:key}.
	 */
	private static String options(NewJob job) {
		if (job.runAt() == null && job.delay() == null && job.idempotencyKey() == null) {
			return "";
		}
		long runAt = (job.runAt() != null) ? Math.max(1, job.runAt().toEpochMilli()) : 0;
		long delay = (job.delay() != null) ? job.delay().toMillis() : 0;
		String key = (job.idempotencyKey() != null) ? job.idempotencyKey() : "";
		return runAt + ":" + delay + ":" + key;
	}

	/**
	 * Why Redis refused a write, in words for the caller, or {@code null} when it is not a
	 * refusal (a timeout, a lost connection: the write may have happened).
	 */
	static @Nullable String refusal(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			String message = current.getMessage();
			if (message == null) {
				continue;
			}
			message = unwrapped(message);
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
	 * Returns the error a script's command raised, as Redis 7 returns it: Redis 6.2 wraps it, as
	 * in {@code ERR Error running script (call to f_<sha>): @user_script:45: @user_script: 45: -OOM
	 * command not allowed when used memory > 'maxmemory'.}
	 */
	private static String unwrapped(String message) {
		if (message.startsWith("ERR Error running script")) {
			int error = message.indexOf(": -");
			if (error >= 0) {
				return message.substring(error + 3);
			}
		}
		return message;
	}

	/**
	 * The ids one script stored and how many replicas acknowledged them.
	 *
	 * @param ids the id stored for each job, in order
	 * @param acknowledged the replicas that acknowledged, or -1 when none were asked for
	 * @param replicaWait the replicas asked for
	 */
	private record Batch(List<?> ids, long acknowledged, RedisReplicaWait replicaWait) {

		/**
		 * Throws unless as many replicas as asked for acknowledged the batch.
		 * @param what names what was stored, for the message
		 */
		void confirm(Supplier<String> what) {
			if (this.acknowledged >= 0 && this.acknowledged < this.replicaWait.replicas()) {
				throw new JobNotConfirmedException(what.get() + " stored on the Redis master, but " + this.acknowledged
						+ " of " + this.replicaWait.replicas() + " replicas acknowledged it within " + this.replicaWait.timeout().toMillis()
						+ " ms (graceful-worker.enqueue.replicas): a failover now could lose it. Enqueue it again with the"
						+ " same idempotency key");
			}
		}

	}

}
