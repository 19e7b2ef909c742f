package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gracefulworker.redis.RedisLeaseLayout;
import io.gracefulworker.redis.RedisOutcomeLayout;
import io.gracefulworker.redis.RedisRecordLayout;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Configuration properties for Graceful Worker.
 */
@ConfigurationProperties("graceful-worker")
public class GracefulWorkerProperties {

	/**
	 * Prefix of every Redis key the library writes.
	 */
	private String keyPrefix = "gw";

	/**
	 * Queue of jobs that name none.
	 */
	private String defaultQueue = "default";

	private final Enqueue enqueue = new Enqueue();

	private final Retry retry = new Retry();

	private final Worker worker = new Worker();

	private final Retention retention = new Retention();

	private final Dashboard dashboard = new Dashboard();


	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	public void setDefaultQueue(String defaultQueue) {
		this.defaultQueue = defaultQueue;
	}

	public Enqueue getEnqueue() {
		return this.enqueue;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Worker getWorker() {
		return this.worker;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	/**
	 * The dashboard at {@code /graceful-worker/}.
	 */
	public static class Dashboard {

		/**
		 * Whether the application serves the dashboard (a servlet web application only). It is
		 * read-only unless management.endpoint.jobs.access=unrestricted; secure its path as you
		 * secure the actuator's.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * How long, and how many, ended jobs each queue keeps so that their status can be looked
	 * up. Workers remove the rest on each recovery pass, oldest first.
	 */
	public static class Retention {

		/**
		 * How long the outcome of a succeeded or cancelled job is kept (without its
		 * arguments); 0 keeps none. The job's idempotency key holds as long.
		 */
		private Duration succeeded = Duration.ofMinutes(5);

		/**
		 * Most succeeded or cancelled outcomes kept per queue.
		 */
		private int succeededMax = 10_000;

		/**
		 * How long a dead job is kept.
		 */
		private Duration dead = Duration.ofDays(7);

		/**
		 * Most dead jobs kept per queue; the oldest beyond it are removed.
		 */
		private int deadMax = 10_000;

		/**
		 * Where the ids of kept outcomes are indexed: 'auto' keeps them in each queue's list
		 * (a completion costs Redis a fifth less) while every live worker in the fleet
		 * registry says it reads that layout, and in its sorted set while one does not (a
		 * worker of an earlier build; the list's outcomes then move to the sorted set at the
		 * next recovery pass) or none is live. 'sorted-set' and 'list' write one layout
		 * whatever the fleet reads. Outcomes in either are read, counted and trimmed whatever
		 * is chosen.
		 */
		private RedisOutcomeLayout outcomeLayout = RedisOutcomeLayout.AUTO;

		public Duration getSucceeded() {
			return this.succeeded;
		}

		public void setSucceeded(Duration succeeded) {
			this.succeeded = succeeded;
		}

		public int getSucceededMax() {
			return this.succeededMax;
		}

		public void setSucceededMax(int succeededMax) {
			this.succeededMax = succeededMax;
		}

		public Duration getDead() {
			return this.dead;
		}

		public void setDead(Duration dead) {
			this.dead = dead;
		}

		public int getDeadMax() {
			return this.deadMax;
		}

		public void setDeadMax(int deadMax) {
			this.deadMax = deadMax;
		}

		public RedisOutcomeLayout getOutcomeLayout() {
			return this.outcomeLayout;
		}

		public void setOutcomeLayout(RedisOutcomeLayout outcomeLayout) {
			this.outcomeLayout = outcomeLayout;
		}

	}

	/**
	 * How an enqueue is confirmed.
	 */
	public static class Enqueue {

		/**
		 * Replicas that must acknowledge a stored job (Redis's WAIT) before an enqueue returns;
		 * 0 returns once the master has it. An enqueue that fewer replicas acknowledge in time
		 * throws JobNotConfirmedException.
		 */
		private int replicas;

		/**
		 * How long an enqueue waits for the replicas' acknowledgement.
		 */
		private Duration replicaTimeout = Duration.ofSeconds(1);

		/**
		 * Whether a job enqueued inside an active Spring transaction is stored when the
		 * transaction commits (and dropped if it rolls back), unless the request says otherwise.
		 */
		private boolean afterCommit = true;

		/**
		 * How long a job whose store failed after its transaction committed is retried before
		 * it is logged and counted as not stored.
		 */
		private Duration afterCommitRetry = Duration.ofMinutes(1);

		/**
		 * How new jobs' records are written in Redis. 'auto' writes them compact (about 45
		 * bytes less a queued job) while every live worker in the fleet registry says it reads
		 * that layout, and JSON while one does not (a worker of an earlier build) or none is
		 * live. 'json' and 'compact' write one layout whatever the fleet reads. Records of
		 * either layout are read whatever is chosen.
		 */
		private RedisRecordLayout recordLayout = RedisRecordLayout.AUTO;

		public RedisRecordLayout getRecordLayout() {
			return this.recordLayout;
		}

		public void setRecordLayout(RedisRecordLayout recordLayout) {
			this.recordLayout = recordLayout;
		}

		public boolean isAfterCommit() {
			return this.afterCommit;
		}

		public void setAfterCommit(boolean afterCommit) {
			this.afterCommit = afterCommit;
		}

		public Duration getAfterCommitRetry() {
			return this.afterCommitRetry;
		}

		public void setAfterCommitRetry(Duration afterCommitRetry) {
			this.afterCommitRetry = afterCommitRetry;
		}

		public int getReplicas() {
			return this.replicas;
		}

		public void setReplicas(int replicas) {
			this.replicas = replicas;
		}

		public Duration getReplicaTimeout() {
			return this.replicaTimeout;
		}

		public void setReplicaTimeout(Duration replicaTimeout) {
			this.replicaTimeout = replicaTimeout;
		}

	}

	/**
	 * Retries of failed jobs.
	 */
	public static class Retry {

		/**
		 * Attempts a job gets before it goes to the dead set, unless its @Job says otherwise.
		 */
		private int maxAttempts = 5;

		/**
		 * Delay before the second attempt.
		 */
		private Duration initialBackoff = Duration.ofSeconds(1);

		/**
		 * Factor applied to the delay after each further attempt.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest delay between two attempts.
		 */
		private Duration maxBackoff = Duration.ofHours(1);

		/**
		 * Share of each delay that is randomised, from 0 to 1, so that failing jobs do not retry
		 * in lockstep.
		 */
		private double jitter = 0.2;

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * The worker that runs jobs in this application.
	 */
	public static class Worker {

		/**
		 * Whether this application runs a worker; producer-only applications set false and
		 * still enqueue.
		 */
		private boolean enabled = true;

		/**
		 * Jobs this worker runs at once.
		 */
		private int concurrency = 10;

		/**
		 * Queues to consume, with their weights (a queue of weight 2 is claimed from first twice
		 * as often as one of weight 1). Empty means the default queue.
		 */
		private Map<String, Integer> queues = new LinkedHashMap<>();

		/**
		 * How long a claimed job stays leased without a heartbeat; after it, another worker may
		 * take the job.
		 */
		private Duration leaseDuration = Duration.ofSeconds(30);

		/**
		 * How often leases are renewed. Defaults to a third of the lease duration.
		 */
		private @Nullable Duration heartbeatInterval;

		/**
		 * How this worker's leases are kept in Redis. 'per-worker' keeps one lease a worker
		 * and queue instead of one a job (less Redis work a job, and a heartbeat that writes
		 * one field however many jobs run), but workers of earlier builds neither recover such
		 * jobs when their worker dies nor see them running. 'auto' keeps them per worker while
		 * every live worker in the fleet registry says it honours that layout, and per job
		 * while one does not (its next heartbeat then gives each running job a lease of its
		 * own) or none is live. Leases of either layout are honoured whatever is chosen.
		 */
		private RedisLeaseLayout leaseLayout = RedisLeaseLayout.AUTO;

		/**
		 * Whether an idle worker registers for jobs handed over by the enqueue: a job enqueued
		 * into an empty queue is then leased to it and published on its own channel, without
		 * the claim's round trip. Standalone Redis and Sentinel only (ignored on a Cluster); a
		 * hand-off has a lease of its own in every lease layout, and one whose message is lost
		 * runs when that lease lapses.
		 */
		private boolean handOff = true;

		/**
		 * Longest wait of an idle worker between two claims; new jobs wake it at once.
		 */
		private Duration pollInterval = Duration.ofSeconds(1);

		/**
		 * How often this worker looks for jobs of dead workers (expired leases).
		 */
		private Duration recoveryInterval = Duration.ofSeconds(5);

		/**
		 * Times a job may be recovered from an expired lease before it goes to the dead set as
		 * a poison pill.
		 */
		private int maxRecoveries = 3;

		/**
		 * Lifecycle phase of the worker; it drains before the beans of lower phases stop.
		 */
		private int phase = SmartLifecycle.DEFAULT_PHASE;

		private final UnknownJob unknownJob = new UnknownJob();

		private final Shutdown shutdown = new Shutdown();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public Map<String, Integer> getQueues() {
			return this.queues;
		}

		public void setQueues(Map<String, Integer> queues) {
			this.queues = queues;
		}

		public Duration getLeaseDuration() {
			return this.leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

		public RedisLeaseLayout getLeaseLayout() {
			return this.leaseLayout;
		}

		public void setLeaseLayout(RedisLeaseLayout leaseLayout) {
			this.leaseLayout = leaseLayout;
		}

		public boolean isHandOff() {
			return this.handOff;
		}

		public void setHandOff(boolean handOff) {
			this.handOff = handOff;
		}

		public @Nullable Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(@Nullable Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getRecoveryInterval() {
			return this.recoveryInterval;
		}

		public void setRecoveryInterval(Duration recoveryInterval) {
			this.recoveryInterval = recoveryInterval;
		}

		public int getMaxRecoveries() {
			return this.maxRecoveries;
		}

		public void setMaxRecoveries(int maxRecoveries) {
			this.maxRecoveries = maxRecoveries;
		}

		public int getPhase() {
			return this.phase;
		}

		public void setPhase(int phase) {
			this.phase = phase;
		}

		public UnknownJob getUnknownJob() {
			return this.unknownJob;
		}

		public Shutdown getShutdown() {
			return this.shutdown;
		}

	}

	/**
	 * Jobs whose name this worker does not define (during a rollout, a newer pod may enqueue
	 * them).
	 */
	public static class UnknownJob {

		/**
		 * How long such a job is given back for, so that a worker that knows it takes it.
		 */
		private Duration retryDelay = Duration.ofSeconds(10);

		/**
		 * How long such a job may go without a taker before it goes to the dead set.
		 */
		private Duration timeout = Duration.ofMinutes(15);

		public Duration getRetryDelay() {
			return this.retryDelay;
		}

		public void setRetryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * The drain on shutdown.
	 */
	public static class Shutdown {

		/**
		 * Time kept at the end of the shutdown phase to interrupt and requeue jobs that did not
		 * finish. Defaults to a tenth of the phase timeout, at least one second.
		 */
		private @Nullable Duration requeueReserve;

		public @Nullable Duration getRequeueReserve() {
			return this.requeueReserve;
		}

		public void setRequeueReserve(@Nullable Duration requeueReserve) {
			this.requeueReserve = requeueReserve;
		}

	}

}
