package io.gracefulworker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.gracefulworker.JobNotConfirmedException;
import io.gracefulworker.JobNotStoredException;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.NewJob;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The {@link JobQueue} on Redis: one Lua script per state change, times from Redis's clock,
 * and a pub/sub channel that wakes idle workers when jobs become ready. The record layout is
 * {@link RedisJobRecords}'s.
 */
public class RedisJobQueue implements JobQueue {

	private final StringRedisTemplate redis;

	private final String prefix;

	private final String wakeChannel;

	// Jobs per batch script: unpacking more into one Redis call would strain Lua's stack.
	private static final int BATCH = 1000;

	private final RedisJobRecords records = new RedisJobRecords();

	private final RedisJobScripts scripts = new RedisJobScripts();

	private final Map<String, RedisJobKeys> keys = new ConcurrentHashMap<>();

	private final String queuesKey;

	private final Set<String> announced = ConcurrentHashMap.newKeySet();

	private final RedisReplicaWait replicaWait;

	public RedisJobQueue(RedisConnectionFactory connectionFactory, String prefix) {
		this(connectionFactory, prefix, 0, Duration.ZERO);
	}

	/**
	 * Creates a queue whose enqueues return once replicas acknowledged them.
	 * @param connectionFactory the connections
	 * @param prefix the prefix of every key
	 * @param replicas replicas that must acknowledge a stored job; 0 for none
	 * @param replicaTimeout how long an enqueue waits for them
	 */
	public RedisJobQueue(RedisConnectionFactory connectionFactory, String prefix, int replicas,
			Duration replicaTimeout) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.prefix = prefix;
		this.wakeChannel = prefix + ":wake";
		this.queuesKey = prefix + ":queues";
		this.replicaWait = new RedisReplicaWait(replicas, replicaTimeout);
	}

	/**
	 * Returns the keys of a queue.
	 * @param queue the queue name
	 * @return the keys
	 */
	public RedisJobKeys keys(String queue) {
		return this.keys.computeIfAbsent(queue, (name) -> RedisJobKeys.of(this.prefix, name));
	}

	@Override
	public String enqueue(NewJob job) {
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

	@Override
	public List<String> enqueueAll(List<NewJob> jobs) {
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
		RedisJobKeys k = keys(queue);
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
		RedisJobKeys k = keys(job.queue());
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
			RedisReplicaWait wait = RedisJobQueue.this.replicaWait;
			String key = keys(this.queue).jobs();
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

	@Override
	public ClaimResult claim(String queue, int max, Duration lease, String tokenPrefix) {
		RedisJobKeys k = keys(queue);
		List<?> result = this.redis.execute(this.scripts.claim,
				List.of(k.ready(), k.scheduled(), k.leases(), k.owners(), k.jobs(), k.dead()), String.valueOf(max),
				String.valueOf(lease.toMillis()), tokenPrefix);
		long nextDue = ((Number) result.get(0)).longValue();
		List<ClaimedJob> jobs = new ArrayList<>((result.size() - 1) / 3);
		for (int i = 1; i + 2 < result.size(); i += 3) {
			jobs.add(this.records.read((String) result.get(i), queue, (String) result.get(i + 1),
					(String) result.get(i + 2)));
		}
		return new ClaimResult(jobs, (nextDue >= 0) ? Duration.ofMillis(nextDue) : null);
	}

	@Override
	public Set<String> heartbeat(String queue, Collection<ClaimedJob> jobs, Duration lease) {
		if (jobs.isEmpty()) {
			return Set.of();
		}
		RedisJobKeys k = keys(queue);
		String[] args = new String[1 + jobs.size() * 2];
		args[0] = String.valueOf(lease.toMillis());
		int i = 1;
		for (ClaimedJob job : jobs) {
			args[i++] = job.id();
			args[i++] = job.token();
		}
		List<?> lost = this.redis.execute(this.scripts.heartbeat, List.of(k.leases(), k.owners()), (Object[]) args);
		Set<String> result = new HashSet<>();
		for (Object id : lost) {
			result.add((String) id);
		}
		return result;
	}

	@Override
	public Set<String> complete(String queue, Collection<ClaimedJob> jobs) {
		if (jobs.isEmpty()) {
			return Set.of();
		}
		RedisJobKeys k = keys(queue);
		String[] args = new String[jobs.size() * 3];
		int i = 0;
		for (ClaimedJob job : jobs) {
			JobRecord record = job.record();
			args[i++] = job.id();
			args[i++] = job.token();
			args[i++] = (record != null && record.idempotencyKey() != null) ? record.idempotencyKey() : "";
		}
		List<?> refused = this.redis.execute(this.scripts.completeBatch,
				List.of(k.leases(), k.owners(), k.jobs(), k.idempotency()), (Object[]) args);
		Set<String> result = new HashSet<>();
		for (Object id : refused) {
			result.add((String) id);
		}
		return result;
	}

	@Override
	public boolean fail(ClaimedJob job, JobError error, @Nullable Duration retryDelay) {
		RedisJobKeys k = keys(job.queue());
		long delay = (retryDelay != null) ? retryDelay.toMillis() : -1;
		return this.redis.execute(this.scripts.fail, List.of(k.leases(), k.owners(), k.jobs(), k.scheduled(), k.dead()),
				job.id(), job.token(), this.records.write(error), String.valueOf(delay), this.wakeChannel,
				job.queue()) == 1L;
	}

	@Override
	public boolean requeue(ClaimedJob job, String reason, Duration delay) {
		RedisJobKeys k = keys(job.queue());
		return this.redis.execute(this.scripts.requeue,
				List.of(k.leases(), k.owners(), k.jobs(), k.ready(), k.scheduled()), job.id(), job.token(), reason,
				String.valueOf(delay.toMillis()), this.wakeChannel, job.queue()) == 1L;
	}

	@Override
	public boolean checkpoint(ClaimedJob job, String progress) {
		RedisJobKeys k = keys(job.queue());
		return this.redis.execute(this.scripts.checkpoint, List.of(k.owners(), k.jobs()), job.id(), job.token(),
				progress) == 1L;
	}

	@Override
	public RecoverResult recover(String queue, int maxRecoveries) {
		RedisJobKeys k = keys(queue);
		List<?> result = this.redis.execute(this.scripts.recover,
				List.of(k.leases(), k.owners(), k.jobs(), k.ready(), k.dead(), k.scheduled()),
				String.valueOf(maxRecoveries), "1000",
				this.wakeChannel, queue);
		return new RecoverResult(((Number) result.get(0)).intValue(), ((Number) result.get(1)).intValue());
	}

	@Override
	public QueueStats stats(String queue) {
		RedisJobKeys k = keys(queue);
		List<?> result = this.redis.execute(this.scripts.stats,
				List.of(k.ready(), k.scheduled(), k.leases(), k.dead(), k.jobs(), k.consumers()));
		long age = ((Number) result.get(4)).longValue();
		return new QueueStats(((Number) result.get(0)).longValue(), ((Number) result.get(1)).longValue(),
				((Number) result.get(2)).longValue(), ((Number) result.get(3)).longValue(),
				(age >= 0) ? Duration.ofMillis(age) : null, ((Number) result.get(5)).longValue());
	}

	@Override
	public void consume(String queue, String workerId, Duration ttl) {
		RedisJobKeys k = keys(queue);
		this.redis.execute(this.scripts.consume, List.of(k.consumers()), workerId, String.valueOf(ttl.toMillis()));
	}

	@Override
	public Set<String> queues() {
		Set<String> queues = this.redis.opsForSet().members(this.queuesKey);
		return (queues != null) ? queues : Set.of();
	}

	@Override
	public AutoCloseable subscribe(Consumer<String> listener) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.redis.getRequiredConnectionFactory());
		container.addMessageListener(new WakeListener(listener), new ChannelTopic(this.wakeChannel));
		container.afterPropertiesSet();
		try {
			container.start();
		}
		catch (RuntimeException ex) {
			destroy(container);
			throw ex;
		}
		return () -> destroy(container);
	}

	private static void destroy(RedisMessageListenerContainer container) {
		try {
			container.destroy();
		}
		catch (Exception ex) {
			// the subscription is gone either way
		}
	}

	private record WakeListener(Consumer<String> listener) implements MessageListener {

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			this.listener.accept(new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8));
		}

	}

}
