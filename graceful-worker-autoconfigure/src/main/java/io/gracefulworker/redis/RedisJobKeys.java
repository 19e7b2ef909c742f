package io.gracefulworker.redis;

import org.springframework.util.Assert;

/**
 * The Redis keys of one queue. Every key shares the hash tag {@code {queue}} so that all keys a
 * script touches live in one Redis Cluster slot.
 *
 * @param ready list of ids waiting to run, oldest first
 * @param scheduled sorted set of ids by due time (epoch ms)
 * @param leases sorted set of running ids by lease expiry (epoch ms), with the
 * {@link #ENCODING_PIN} while many jobs run
 * @param owners hash of running id to the fencing token that owns its lease, with the
 * {@link #ENCODING_PIN} while many jobs run
 * @param dead sorted set of dead ids by time of death
 * @param jobs hash of id to the job record (JSON or compact), with the {@link #ENCODING_PIN}
 * while many jobs are stored
 * @param idempotency hash of idempotency key to id, with the {@link #ENCODING_PIN} while many keys
 * are held
 * @param consumers sorted set of the workers that consume the queue, by when that lapses (epoch ms)
 * @param finished sorted set of succeeded and cancelled ids whose outcome is kept, by when they
 * ended (epoch ms) ({@link RedisOutcomeLayout#SORTED_SET})
 * @param cancels hash of running id to its cancel request ({@code interrupt} or {@code flag})
 * @param succeeded counter of the queue's jobs that ever succeeded, for its throughput
 * @param recurring hash of job name to its cron schedule (JSON)
 * @param ticks sorted set of job names by their schedule's next tick (epoch ms)
 * @param declarers hash of job name to the workers that declare its schedule, with when (JSON)
 * @param recurringState hash of what each schedule fired ({@code job|lastJob}, {@code job|fires}, ...)
 * @param holders hash of worker id to when the leases of the jobs it owns without a lease of their
 * own lapse (epoch ms): leases kept per worker ({@link RedisLeaseLayout#PER_WORKER})
 * @param waiting the registration of the worker that waits for a job of the queue with a slot free
 * ({@code worker|seq|lease ms}), to which an enqueue hands a job over instead of the ready list
 * @param handOffs hash of worker id to the registration a hand-off took, until its next claim
 * @param outcomes list of succeeded and cancelled ids whose outcome is kept, in the order they
 * ended, the oldest first ({@link RedisOutcomeLayout#LIST})
 * @param recovery hash of where the recovery passes' round over the owners hash stands, while a
 * worker's lease has lapsed: its cursor and the lapsed workers it may forget when it ends
 */
public record RedisJobKeys(String ready, String scheduled, String leases, String owners, String dead, String jobs,
		String idempotency, String consumers, String finished, String cancels, String succeeded, String recurring,
		String ticks, String declarers, String recurringState, String holders, String waiting, String handOffs,
		String outcomes, String recovery) {

	/**
	 * The entry that a queue's owners hash and leases set hold from the eighth job running at once
	 * until none runs, and its jobs and idempotency hashes from their eighth short entry until
	 * they hold nothing else, never a job: longer than Redis's listpack limits, it keeps them in
	 * their hashed encodings, where a command finds a job in the same time at any number of jobs
	 * ({@code pin.lua}, {@code pin_hash.lua}). Its text stays as earlier releases wrote it, since
	 * their scripts skip it by it.
	 */
	public static final String ENCODING_PIN = "graceful-worker keeps the owners and leases of a queue in hashed encodings"
			+ " with this entry, which is not a job";

	/**
	 * Returns the keys of a queue.
	 * @param prefix the key prefix
	 * @param queue the queue name
	 * @return the keys
	 */
	public static RedisJobKeys of(String prefix, String queue) {
		Assert.hasText(queue, "'queue' must not be empty");
		Assert.isTrue(queue.indexOf('{') < 0 && queue.indexOf('}') < 0, "a queue name must not contain braces");
		String base = prefix + ":{" + queue + "}:";
		return new RedisJobKeys(base + "ready", base + "scheduled", base + "leases", base + "owners", base + "dead",
				base + "jobs", base + "idempotency", base + "consumers", base + "finished",
				base + "cancels", base + "succeeded", base + "recurring", base + "ticks", base + "declarers",
				base + "recurring-state", base + "holders", base + "waiting", base + "hand-offs", base + "outcomes",
				base + "recovery");
	}

}
