package io.gracefulworker.redis;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.gracefulworker.CancelResult;
import io.gracefulworker.JobStatus;
import io.gracefulworker.core.CancelRequest;
import io.gracefulworker.core.ClaimResult;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.HandOffRegistration;
import io.gracefulworker.core.HandedOver;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.core.QueueStats;
import io.gracefulworker.core.RecoverResult;
import io.gracefulworker.core.RecurringStore;
import io.gracefulworker.core.TrimResult;
import io.gracefulworker.core.TruncatedDrain;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The {@link JobQueue} on Redis: one Lua script per state change, times from Redis's clock,
 * and pub/sub channels that wake idle workers when jobs become ready and tell workers of
 * cancelled jobs ({@link RedisChannels}). The record layout is {@link RedisJobRecords}'s.
 */
public class RedisJobQueue implements JobQueue {

	private final String prefix;

	private final RedisJobRecords records = new RedisJobRecords();

	private final RedisRecurringStore recurring;

	private final Map<String, RedisJobKeys> keys = new ConcurrentHashMap<>();

	private final RedisJobEnqueuer enqueuer;

	private final RedisJobLookup lookup;

	private final RedisChannels channels;

	private final RedisFleet fleet;

	private final RedisLeasedJobs leased;

	private final RedisDeadSet deadSet;

	private final RedisFleetLayouts fleetLayouts;

	private final RedisOutcomeIndex outcomeIndex;

	private final RedisQueues queues;

	public RedisJobQueue(RedisConnectionFactory connectionFactory, String prefix) {
		this(connectionFactory, prefix, 0, Duration.ZERO);
	}

	/**
	 * Creates a queue whose enqueues return once replicas acknowledged them, and that keeps no
	 * outcome of succeeded jobs.
	 */
	public RedisJobQueue(RedisConnectionFactory connectionFactory, String prefix, int replicas,
			Duration replicaTimeout) {
		this(connectionFactory, prefix, replicas, replicaTimeout, JobRetention.NO_OUTCOMES);
	}

	/**
	 * Creates a queue.
	 * @param connectionFactory the connections
	 * @param prefix the prefix of every key
	 * @param replicas replicas that must acknowledge a stored job; 0 for none
	 * @param replicaTimeout how long an enqueue waits for them
	 * @param retention how long and how many ended jobs each queue keeps
	 */
	public RedisJobQueue(RedisConnectionFactory connectionFactory, String prefix, int replicas,
			Duration replicaTimeout, JobRetention retention) {
		StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
		RedisJobScripts scripts = new RedisJobScripts();
		this.prefix = prefix;
		String wakeChannel = prefix + ":wake";
		String cancelChannel = prefix + ":cancel";
		String queuesKey = prefix + ":queues";
		this.queues = new RedisQueues(redis, scripts, this::keys, queuesKey);
		this.channels = new RedisChannels(connectionFactory, wakeChannel, cancelChannel);
		RedisJobStatuses statuses = new RedisJobStatuses();
		this.fleet = new RedisFleet(redis, scripts, prefix);
		this.fleetLayouts = new RedisFleetLayouts(this.fleet);
		this.outcomeIndex = new RedisOutcomeIndex(this.fleetLayouts);
		this.lookup = new RedisJobLookup(redis, scripts, this::keys, statuses, cancelChannel, this.outcomeIndex);
		this.records.writeCompact(this.fleetLayouts::compactRecords);
		// On a Cluster a PUBLISH counts only its node's subscribers: an enqueue could not tell a
		// worker that listens on another node from none, so jobs are not handed over there.
		this.leased = new RedisLeasedJobs(redis, scripts, this.records, this::keys, retention, wakeChannel,
				connectionFactory instanceof LettuceConnectionFactory lettuce && !lettuce.isClusterAware(),
				this.outcomeIndex);
		this.deadSet = new RedisDeadSet(redis, scripts, this::keys, statuses, retention, wakeChannel,
				this.outcomeIndex);
		this.enqueuer = new RedisJobEnqueuer(redis, scripts, this.records, this::keys, wakeChannel, queuesKey,
				new RedisReplicaWait(replicas, replicaTimeout));
		this.recurring = new RedisRecurringStore(redis, scripts, this.records, this::keys, wakeChannel);
	}

	/**
	 * Chooses how new jobs' records are written; every layout is read either way.
	 * @param layout the layout, {@link RedisRecordLayout#AUTO} unless set
	 */
	public void setRecordLayout(RedisRecordLayout layout) {
		this.records.writeCompact(switch (layout) {
			case AUTO -> this.fleetLayouts::compactRecords;
			case JSON -> () -> false;
			case COMPACT -> () -> true;
		});
	}

	/**
	 * Sets how long the fleet registry's answer for the {@code AUTO} layouts is used before it
	 * is asked again (five seconds unless set).
	 * @param recheck the interval
	 */
	void recheckLayoutsEvery(Duration recheck) {
		this.fleetLayouts.recheckEvery(recheck);
	}

	/**
	 * Sets how this worker's leases are kept; every layout is honoured whatever is set.
	 * @param layout the layout, {@link RedisLeaseLayout#PER_JOB} unless set (the starter's
	 * default is {@link RedisLeaseLayout#AUTO})
	 */
	public void setLeaseLayout(RedisLeaseLayout layout) {
		this.leased.setLayout(layout, this.fleetLayouts::leasesPerWorker);
	}

	/**
	 * Chooses where the ids of kept outcomes are indexed; both indexes are read, counted and
	 * trimmed whatever is set.
	 * @param layout the layout, {@link RedisOutcomeLayout#SORTED_SET} unless set (the starter's
	 * default is {@link RedisOutcomeLayout#AUTO})
	 */
	public void setOutcomeLayout(RedisOutcomeLayout layout) {
		this.outcomeIndex.setLayout(layout);
	}

	@Override
	public RecurringStore recurring() {
		return this.recurring;
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
		return this.enqueuer.enqueue(job);
	}

	@Override
	public List<String> enqueueAll(List<NewJob> jobs) {
		return this.enqueuer.enqueueAll(jobs);
	}

	@Override
	public ClaimResult claim(String queue, int max, Duration lease, String tokenPrefix) {
		return this.leased.claim(queue, max, lease, tokenPrefix, null, null, Duration.ZERO);
	}

	@Override
	public ClaimResult claim(String queue, int max, Duration lease, String tokenPrefix,
			@Nullable HandOffRegistration register, @Nullable HandOffRegistration pending, Duration registrationTtl) {
		return this.leased.claim(queue, max, lease, tokenPrefix, register, pending, registrationTtl);
	}

	@Override
	public Set<String> heartbeat(String queue, Collection<ClaimedJob> jobs, Duration lease) {
		return this.leased.heartbeat(queue, jobs, lease);
	}

	@Override
	public Set<String> complete(String queue, Collection<FinishedJob> jobs) {
		return this.leased.complete(queue, jobs);
	}

	@Override
	public boolean fail(ClaimedJob job, JobError error, @Nullable Duration retryDelay) {
		return this.leased.fail(job, error, retryDelay);
	}

	@Override
	public boolean requeue(ClaimedJob job, String reason, Duration delay) {
		return this.leased.requeue(job, reason, delay);
	}

	@Override
	public boolean checkpoint(ClaimedJob job, String progress) {
		return this.leased.checkpoint(job, progress);
	}

	@Override
	public RecoverResult recover(String queue, int maxRecoveries) {
		return this.leased.recover(queue, maxRecoveries);
	}

	@Override
	public QueueStats stats(String queue) {
		return this.queues.stats(queue);
	}

	@Override
	public void consume(String queue, String workerId, Duration ttl) {
		this.queues.consume(queue, workerId, ttl);
	}

	@Override
	public Optional<JobStatus> status(String queue, String id) {
		return this.lookup.status(queue, id);
	}

	@Override
	public Optional<String> arguments(String queue, String id) {
		return this.lookup.arguments(queue, id);
	}

	@Override
	public CancelResult cancel(String queue, String id, boolean interrupt) {
		return this.lookup.cancel(queue, id, interrupt);
	}

	@Override
	public Map<String, Boolean> cancelRequests(String queue, Collection<ClaimedJob> jobs) {
		return this.lookup.cancelRequests(queue, jobs);
	}

	@Override
	public boolean cancelled(ClaimedJob job) {
		return this.lookup.cancelled(job);
	}

	@Override
	public DeadJobs deadJobs(String queue, @Nullable String name, @Nullable String reason, int skip, int limit) {
		return this.deadSet.list(queue, name, reason, skip, limit);
	}

	@Override
	public List<String> deadIds(String queue, @Nullable String name, @Nullable String reason) {
		return this.deadSet.ids(queue, name, reason);
	}

	@Override
	public int retryDead(String queue, List<String> ids) {
		return this.deadSet.retry(queue, ids);
	}

	@Override
	public int deleteDead(String queue, List<String> ids) {
		return this.deadSet.delete(queue, ids);
	}

	@Override
	public TrimResult trim(String queue) {
		return this.deadSet.trim(queue);
	}

	@Override
	public List<TruncatedDrain> publish(FleetEntry entry, Duration lapse) {
		return this.fleet.publish(entry, lapse);
	}

	@Override
	public List<TruncatedDrain> truncatedDrains() {
		return this.fleet.truncatedDrains();
	}

	@Override
	public void leave(String workerId) {
		this.fleet.leave(workerId);
	}

	@Override
	public List<FleetEntry> fleet() {
		return this.fleet.fleet();
	}

	@Override
	public Set<String> queues() {
		return this.queues.queues();
	}

	@Override
	public AutoCloseable subscribe(Consumer<String> listener) {
		return this.channels.subscribe(listener, (request) -> {
		}, null);
	}

	@Override
	public AutoCloseable subscribe(Consumer<String> wakeUps, Consumer<CancelRequest> cancels) {
		return this.channels.subscribe(wakeUps, cancels, null);
	}

	@Override
	public AutoCloseable subscribe(Consumer<String> wakeUps, Consumer<CancelRequest> cancels, String worker,
			Consumer<HandedOver> handOffs) {
		if (!this.leased.handsOff()) {
			return subscribe(wakeUps, cancels);
		}
		return this.channels.subscribe(wakeUps, cancels,
				new RedisChannels.HandOffs(worker, (handOff) -> handOffs.accept(this.leased.handedOver(worker, handOff))));
	}

}
