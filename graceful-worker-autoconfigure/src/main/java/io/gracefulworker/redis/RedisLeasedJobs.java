package io.gracefulworker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.gracefulworker.core.ClaimResult;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.HandOffRegistration;
import io.gracefulworker.core.HandedOver;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.RecoverResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The leases of a queue's jobs for {@link RedisJobQueue}, kept in the chosen
 * {@link RedisLeaseLayout}: claiming jobs and taking back those whose lease lapsed, and the
 * writes of a worker's leased jobs, each fenced by the lease's token: renewing a queue's leases
 * and recording its finished jobs (a script per queue for many jobs), and a job's failure,
 * requeue and checkpoint.
 */
final class RedisLeasedJobs {

	private static final Log logger = LogFactory.getLog(RedisLeasedJobs.class);

	// fail.lua's answer when the job's record is a kept outcome or a dead job's: the claim took a
	// second copy of its id.
	private static final long ENDED_ALREADY = 2L;

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final RedisJobRecords records;

	private final Function<String, RedisJobKeys> keys;

	private final JobRetention retention;

	private final String wakeChannel;

	private final boolean publishReachesEveryListener;

	private final RedisOutcomeIndex outcomeIndex;

	private volatile RedisLeaseLayout layout = RedisLeaseLayout.PER_JOB;

	// Under AUTO, whether the fleet honours leases kept per worker now.
	private volatile BooleanSupplier fleetHonoursPerWorker = () -> false;

	RedisLeasedJobs(StringRedisTemplate redis, RedisJobScripts scripts, RedisJobRecords records,
			Function<String, RedisJobKeys> keys, JobRetention retention, String wakeChannel,
			boolean publishReachesEveryListener, RedisOutcomeIndex outcomeIndex) {
		this.outcomeIndex = outcomeIndex;
		this.redis = redis;
		this.scripts = scripts;
		this.records = records;
		this.keys = keys;
		this.retention = retention;
		this.wakeChannel = wakeChannel;
		this.publishReachesEveryListener = publishReachesEveryListener;
	}

	/**
	 * Whether jobs are handed over to the workers that register: where a {@code PUBLISH} counts
	 * every listener. A hand-off has a lease of its own in every layout (enqueue_batch.lua), so
	 * that a job whose message is lost comes back when that lease lapses.
	 */
	boolean handsOff() {
		return this.publishReachesEveryListener;
	}

	void setLayout(RedisLeaseLayout layout, BooleanSupplier fleetHonoursPerWorker) {
		this.layout = layout;
		this.fleetHonoursPerWorker = fleetHonoursPerWorker;
	}

	private boolean perWorker() {
		return switch (this.layout) {
			case PER_WORKER -> true;
			case PER_JOB -> false;
			case AUTO -> this.fleetHonoursPerWorker.getAsBoolean();
		};
	}

	ClaimResult claim(String queue, int max, Duration lease, String tokenPrefix,
			@Nullable HandOffRegistration register, @Nullable HandOffRegistration pending,
			Duration registrationTtl) {
		RedisJobKeys k = this.keys.apply(queue);
		List<?> result = this.redis.execute(this.scripts.claim,
				List.of(k.ready(), k.scheduled(), k.leases(), k.owners(), k.jobs(), k.dead(), k.cancels(), k.finished(),
						k.holders(), k.waiting(), k.handOffs(), k.outcomes()),
				String.valueOf(max), String.valueOf(lease.toMillis()), tokenPrefix,
				perWorker() ? "per-worker" : "per-job",
				(handsOff() && register != null) ? registration(register, lease) : "",
				(handsOff() && pending != null) ? registration(pending, lease) : "",
				String.valueOf(Math.max(1, registrationTtl.toMillis())), this.outcomeIndex.name());
		long nextDue = ((Number) result.get(0)).longValue();
		long flags = ((Number) result.get(1)).longValue();
		String token = (String) result.get(2);
		List<ClaimedJob> jobs = new ArrayList<>((result.size() - 3) / 2);
		for (int i = 3; i + 1 < result.size(); i += 2) {
			jobs.add(this.records.read((String) result.get(i), queue, token, (String) result.get(i + 1)));
		}
		return new ClaimResult(jobs, (nextDue >= 0) ? Duration.ofMillis(nextDue) : null, (flags & 1) != 0,
				(flags & 2) != 0);
	}

	/**
	 * Reads a job handed over to a worker as the claim of its registration would have.
	 * @param worker the worker
	 * @param handOff the message
	 * @return the job, leased to the worker, and the registration it took
	 */
	HandedOver handedOver(String worker, RedisChannels.HandOff handOff) {
		// The token is worker:seq:0 (enqueue_batch.lua).
		String seq = handOff.token().substring(worker.length() + 1, handOff.token().lastIndexOf(':'));
		return new HandedOver(this.records.read(handOff.id(), handOff.queue(), handOff.token(), handOff.record()),
				Long.parseLong(seq));
	}

	/**
	 * A registration as the scripts store it: {@code worker|seq|lease ms}.
	 */
	private static String registration(HandOffRegistration registration, Duration lease) {
		return registration.worker() + "|" + registration.seq() + "|" + lease.toMillis();
	}

	RecoverResult recover(String queue, int maxRecoveries) {
		RedisJobKeys k = this.keys.apply(queue);
		List<?> result = this.redis.execute(this.scripts.recover,
				List.of(k.leases(), k.owners(), k.jobs(), k.ready(), k.dead(), k.scheduled(), k.holders(), k.consumers(),
						k.handOffs(), k.recovery()),
				String.valueOf(maxRecoveries), "1000", this.wakeChannel, queue);
		return new RecoverResult(((Number) result.get(0)).intValue(), ((Number) result.get(1)).intValue());
	}

	/**
	 * Says how a heartbeat renews: each job's lease, or its worker's too; under AUTO while the
	 * fleet does not honour leases per worker, each job also gets a lease of its own if its claim
	 * kept it per worker, so that a worker of an earlier build can take it back.
	 */
	private String heartbeatMode() {
		if (perWorker()) {
			return "per-worker";
		}
		return (this.layout == RedisLeaseLayout.AUTO) ? "to-per-job" : "per-job";
	}

	Set<String> heartbeat(String queue, Collection<ClaimedJob> jobs, Duration lease) {
		if (jobs.isEmpty()) {
			return Set.of();
		}
		RedisJobKeys k = this.keys.apply(queue);
		String[] args = new String[2 + jobs.size() * 2];
		args[0] = String.valueOf(lease.toMillis());
		args[1] = heartbeatMode();
		int i = 2;
		for (ClaimedJob job : jobs) {
			args[i++] = job.id();
			args[i++] = job.token();
		}
		List<?> lost = this.redis.execute(this.scripts.heartbeat, List.of(k.leases(), k.owners(), k.holders()),
				(Object[]) args);
		Set<String> result = new HashSet<>();
		for (Object id : lost) {
			result.add((String) id);
		}
		return result;
	}

	Set<String> complete(String queue, Collection<FinishedJob> jobs) {
		if (jobs.isEmpty()) {
			return Set.of();
		}
		RedisJobKeys k = this.keys.apply(queue);
		boolean keep = this.retention.keepsOutcomes();
		int n = jobs.size();
		// A claim's jobs share its token, so the tokens go as runs: a count and the token. A kept
		// outcome holds its job's idempotency key until the trim removes it, so the keys go only
		// where none is kept, to be freed now.
		String[] tokens = new String[n];
		int[] counts = new int[n];
		int runs = 0;
		boolean withKeys = false;
		for (FinishedJob finished : jobs) {
			JobRecord record = finished.job().record();
			withKeys = withKeys || (!keep && record != null && record.idempotencyKey() != null);
			String token = finished.job().token();
			if (runs > 0 && tokens[runs - 1].equals(token)) {
				counts[runs - 1]++;
			}
			else {
				tokens[runs] = token;
				counts[runs++] = 1;
			}
		}
		int runsAt = 3 + n * (keep ? 2 : 1);
		String[] args = new String[runsAt + 1 + 2 * runs + (withKeys ? n : 0)];
		String index = keep ? this.outcomeIndex.name() : "none";
		boolean compactOutcomes = "list".equals(index);
		args[0] = index;
		args[1] = String.valueOf(this.retention.succeededMax());
		args[2] = String.valueOf(n);
		args[runsAt] = String.valueOf(runs);
		for (int r = 0; r < runs; r++) {
			args[runsAt + 1 + 2 * r] = String.valueOf(counts[r]);
			args[runsAt + 2 + 2 * r] = tokens[r];
		}
		int jobAt = 3;
		int keyAt = runsAt + 1 + 2 * runs;
		for (FinishedJob finished : jobs) {
			ClaimedJob claimed = finished.job();
			JobRecord record = claimed.record();
			args[jobAt++] = claimed.id();
			if (keep) {
				args[jobAt++] = (record != null) ? this.records.writeOutcome(finished, compactOutcomes) : "";
			}
			if (withKeys) {
				args[keyAt++] = (record != null && record.idempotencyKey() != null) ? record.idempotencyKey() : "";
			}
		}
		List<?> refused = this.redis.execute(this.scripts.completeBatch,
				List.of(k.leases(), k.owners(), k.jobs(), k.idempotency(), k.finished(), k.cancels(), k.succeeded(),
						k.outcomes()),
				(Object[]) args);
		Set<String> result = new HashSet<>();
		for (Object id : refused) {
			result.add((String) id);
		}
		return result;
	}

	boolean fail(ClaimedJob job, JobError error, @Nullable Duration retryDelay) {
		RedisJobKeys k = this.keys.apply(job.queue());
		long delay = (retryDelay != null) ? retryDelay.toMillis() : -1;
		Long result = this.redis.execute(this.scripts.fail,
				List.of(k.leases(), k.owners(), k.jobs(), k.scheduled(), k.dead()), job.id(), job.token(),
				this.records.write(error), String.valueOf(delay), this.wakeChannel, job.queue());
		if (result != null && result == ENDED_ALREADY) {
			logger.warn("Job " + job.id() + " of queue '" + job.queue() + "' was on its queue again after it ended"
					+ " or went to the dead set; that copy was dropped and the job left as it was");
		}
		return result != null && result == 1L;
	}

	boolean requeue(ClaimedJob job, String reason, Duration delay) {
		RedisJobKeys k = this.keys.apply(job.queue());
		return this.redis.execute(this.scripts.requeue,
				List.of(k.leases(), k.owners(), k.jobs(), k.ready(), k.scheduled()), job.id(), job.token(), reason,
				String.valueOf(delay.toMillis()), this.wakeChannel, job.queue()) == 1L;
	}

	boolean checkpoint(ClaimedJob job, String progress) {
		RedisJobKeys k = this.keys.apply(job.queue());
		return this.redis.execute(this.scripts.checkpoint, List.of(k.owners(), k.jobs()), job.id(), job.token(),
				progress) == 1L;
	}

}
