package io.gracefulworker.redis;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.JobRecord;
import io.gracefulworker.core.JobRetention;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The writes of a worker's leased jobs for {@link RedisJobQueue}, each fenced by the lease's
 * token: renewing a queue's leases and recording its finished jobs (a script per queue for many
 * jobs), and a job's failure, requeue and checkpoint.
 */
final class RedisLeasedJobs {

	private final StringRedisTemplate redis;

	private final RedisJobScripts scripts;

	private final RedisJobRecords records;

	private final Function<String, RedisJobKeys> keys;

	private final JobRetention retention;

	private final String wakeChannel;

	private volatile RedisLeaseLayout layout = RedisLeaseLayout.PER_JOB;

	RedisLeasedJobs(StringRedisTemplate redis, RedisJobScripts scripts, RedisJobRecords records,
			Function<String, RedisJobKeys> keys, JobRetention retention, String wakeChannel) {
		this.redis = redis;
		this.scripts = scripts;
		this.records = records;
		this.keys = keys;
		this.retention = retention;
		this.wakeChannel = wakeChannel;
	}

	void setLayout(RedisLeaseLayout layout) {
		this.layout = layout;
	}

	RedisLeaseLayout layout() {
		return this.layout;
	}

	/**
	 * Returns the worker's id from a lease's token, which a worker makes as
	 * {@code workerId:claim:n}.
	 * @param token the token
	 * @return the worker's id
	 */
	static String workerOf(String token) {
		int last = token.lastIndexOf(':');
		int before = (last > 0) ? token.lastIndexOf(':', last - 1) : -1;
		return (before > 0) ? token.substring(0, before) : token;
	}

	Set<String> heartbeat(String queue, Collection<ClaimedJob> jobs, Duration lease) {
		if (jobs.isEmpty()) {
			return Set.of();
		}
		RedisJobKeys k = this.keys.apply(queue);
		String[] args = new String[2 + jobs.size() * 2];
		args[0] = String.valueOf(lease.toMillis());
		// One worker's jobs: with leases per worker, the first names the worker whose lease it renews.
		args[1] = (this.layout == RedisLeaseLayout.PER_WORKER) ? workerOf(jobs.iterator().next().token()) : "";
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
		String[] args = new String[2 + jobs.size() * 4];
		args[0] = keep ? String.valueOf(this.retention.succeeded().toMillis()) : "0";
		args[1] = String.valueOf(this.retention.succeededMax());
		int i = 2;
		for (FinishedJob finished : jobs) {
			ClaimedJob job = finished.job();
			JobRecord record = job.record();
			args[i++] = job.id();
			args[i++] = job.token();
			args[i++] = (record != null && record.idempotencyKey() != null) ? record.idempotencyKey() : "";
			args[i++] = (keep && record != null) ? this.records.writeOutcome(finished) : "";
		}
		List<?> refused = this.redis.execute(this.scripts.completeBatch,
				List.of(k.leases(), k.owners(), k.jobs(), k.idempotency(), k.finished(), k.cancels(), k.succeeded()),
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
		return this.redis.execute(this.scripts.fail, List.of(k.leases(), k.owners(), k.jobs(), k.scheduled(), k.dead()),
				job.id(), job.token(), this.records.write(error), String.valueOf(delay), this.wakeChannel,
				job.queue()) == 1L;
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
