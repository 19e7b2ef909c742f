package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.gracefulworker.core.Backoff;
import io.gracefulworker.core.WorkerIds;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link GracefulWorkerProperties} into the worker's settings and retry backoff, and
 * checks them first, so that a misconfiguration fails the startup with a failure analysis that
 * names the property and what to do.
 */
final class WorkerSettingsFactory {

	private static final String WORKER = "graceful-worker.worker.";

	private static final String RETRY = "graceful-worker.retry.";

	private static final String ENQUEUE = "graceful-worker.enqueue.";

	private static final Log logger = LogFactory.getLog(WorkerSettingsFactory.class);

	private WorkerSettingsFactory() {
	}

	static WorkerSettings settings(GracefulWorkerProperties properties, Duration phaseTimeout,
			boolean virtualThreads) {
		GracefulWorkerProperties.Worker worker = properties.getWorker();
		Map<String, Integer> queues = worker.getQueues().isEmpty() ? Map.of(properties.getDefaultQueue(), 1)
				: worker.getQueues();
		Duration lease = worker.getLeaseDuration();
		Duration heartbeat = (worker.getHeartbeatInterval() != null) ? worker.getHeartbeatInterval()
				: lease.dividedBy(3);
		check(worker.getConcurrency() >= 1, WORKER + "concurrency", worker.getConcurrency(), "it must be at least 1");
		// A platform thread each, from a fork-join pool, which holds at most 32,767.
		check(virtualThreads || worker.getConcurrency() <= 32_767, WORKER + "concurrency", worker.getConcurrency(),
				"it must be at most 32767 with platform threads; for more jobs at once run them on virtual threads"
						+ " (spring.threads.virtual.enabled=true, Java 21 or newer)");
		queues.forEach((name, weight) -> check(weight >= 1, WORKER + "queues." + name, weight,
				"a queue's weight must be at least 1; to stop consuming a queue, remove it"));
		check(positive(lease), WORKER + "lease-duration", lease, "it must be positive");
		check(positive(heartbeat), WORKER + "heartbeat-interval", heartbeat, "it must be positive");
		check(positive(worker.getPollInterval()), WORKER + "poll-interval", worker.getPollInterval(),
				"it must be positive");
		check(positive(worker.getRecoveryInterval()), WORKER + "recovery-interval", worker.getRecoveryInterval(),
				"it must be positive");
		check(lease.compareTo(heartbeat.multipliedBy(3)) >= 0, WORKER + "lease-duration", lease,
				"it must be at least three heartbeats (" + WORKER + "heartbeat-interval = " + heartbeat.toMillis()
						+ " ms), or a lease would expire between two renewals: raise the lease or lower the interval");
		Duration reserve = worker.getShutdown().getRequeueReserve();
		check(reserve == null || reserve.compareTo(phaseTimeout) < 0, WORKER + "shutdown.requeue-reserve", reserve,
				"it must be shorter than the shutdown phase timeout (spring.lifecycle.timeout-per-shutdown-phase = "
						+ phaseTimeout.toMillis() + " ms), or no time is left for running jobs to finish: lower the"
						+ " reserve or raise the timeout");
		return new WorkerSettings(WorkerIds.generate(), worker.getConcurrency(), queues, lease, heartbeat,
				worker.getPollInterval(), worker.getRecoveryInterval(), worker.getMaxRecoveries(),
				worker.getUnknownJob().getRetryDelay(), worker.getUnknownJob().getTimeout(), reserve, worker.getPhase(),
				virtualThreads, worker.isHandOff());
	}

	static void checkEnqueue(GracefulWorkerProperties.Enqueue enqueue) {
		check(enqueue.getReplicas() >= 0, ENQUEUE + "replicas", enqueue.getReplicas(),
				"it must be 0 (no confirmation) or the number of replicas that must acknowledge an enqueue");
		check(positive(enqueue.getReplicaTimeout()), ENQUEUE + "replica-timeout", enqueue.getReplicaTimeout(),
				"it must be positive");
	}

	static JobRetention retention(GracefulWorkerProperties properties) {
		GracefulWorkerProperties.Retention retention = properties.getRetention();
		String prefix = "graceful-worker.retention.";
		check(!retention.getSucceeded().isNegative(), prefix + "succeeded", retention.getSucceeded(),
				"it must not be negative; 0 keeps no outcome");
		check(retention.getSucceededMax() >= 0, prefix + "succeeded-max", retention.getSucceededMax(),
				"it must not be negative; 0 keeps no outcome");
		check(!retention.getDead().isNegative(), prefix + "dead", retention.getDead(),
				"it must not be negative");
		check(retention.getDeadMax() >= 0, prefix + "dead-max", retention.getDeadMax(), "it must not be negative");
		return new JobRetention(retention.getSucceeded(), retention.getSucceededMax(), retention.getDead(),
				retention.getDeadMax());
	}

	static int maxAttempts(GracefulWorkerProperties properties) {
		int maxAttempts = properties.getRetry().getMaxAttempts();
		check(maxAttempts >= 1, RETRY + "max-attempts", maxAttempts, "it must be at least 1");
		return maxAttempts;
	}

	/**
	 * Warns when Redis commands may hang longer than a heartbeat: a Redis that stops answering
	 * would then go unnoticed, and unreported, for that long.
	 */
	static void checkCommandTimeout(Duration commandTimeout, WorkerSettings settings) {
		if (commandTimeout.compareTo(settings.heartbeatInterval()) > 0) {
			logger.warn("Redis commands time out after " + commandTimeout.toMillis() + " ms"
					+ " (spring.data.redis.timeout), longer than a heartbeat (" + settings.heartbeatInterval().toMillis()
					+ " ms, a third of graceful-worker.worker.lease-duration): a Redis that stops answering goes"
					+ " unnoticed that long. Set spring.data.redis.timeout to at most "
					+ settings.heartbeatInterval().toMillis() + " ms");
		}
	}

	static Backoff retries(GracefulWorkerProperties properties) {
		GracefulWorkerProperties.Retry retry = properties.getRetry();
		check(!retry.getInitialBackoff().isNegative(), RETRY + "initial-backoff", retry.getInitialBackoff(),
				"it must not be negative");
		check(retry.getMultiplier() >= 1, RETRY + "multiplier", retry.getMultiplier(), "it must be at least 1");
		check(retry.getJitter() >= 0 && retry.getJitter() <= 1, RETRY + "jitter", retry.getJitter(),
				"it must be between 0 and 1");
		return new Backoff(retry.getInitialBackoff(), retry.getMultiplier(), retry.getMaxBackoff(), retry.getJitter());
	}

	private static void check(boolean valid, String property, @Nullable Object value, String reason) {
		if (!valid) {
			throw new InvalidConfigurationPropertyValueException(property, value, reason);
		}
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

}
