package io.gracefulworker.redis;

/**
 * How a worker's leases are kept in Redis. Every layout is honoured by this release whatever it
 * writes; workers of earlier builds honour only {@link #PER_JOB}.
 */
public enum RedisLeaseLayout {

	/**
	 * {@link #PER_WORKER} while every live worker in the fleet registry says it honours that
	 * layout, else {@link #PER_JOB}; when it turns back to per job, the next heartbeat gives each
	 * job the worker runs a lease of its own, so that a worker of an earlier build can take it back
	 * if this one dies.
	 */
	AUTO,

	/**
	 * A lease a job, in the queue's leases sorted set, written by the claim and renewed by each
	 * heartbeat: every release honours it.
	 */
	PER_JOB,

	/**
	 * One lease a worker and queue, in the queue's holders hash, written by each claim and
	 * heartbeat; a job's owner names its worker. A claim and a completion each change one
	 * structure less, and a heartbeat writes one field however many jobs run. Written whatever
	 * the fleet honours: workers of earlier builds neither recover such a job when its worker
	 * dies nor see it running.
	 */
	PER_WORKER

}
