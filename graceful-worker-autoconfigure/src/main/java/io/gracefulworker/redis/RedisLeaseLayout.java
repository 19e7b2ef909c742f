package io.gracefulworker.redis;

/**
 * How a worker's leases are kept in Redis. Every layout is honoured by this release whatever it
 * writes; workers of earlier releases honour only {@link #PER_JOB}.
 */
public enum RedisLeaseLayout {

	/**
	 * A lease a job, in the queue's leases sorted set, written by the claim and renewed by each
	 * heartbeat: every release honours it.
	 */
	PER_JOB,

	/**
	 * One lease a worker and queue, in the queue's holders hash, written by each claim and
	 * heartbeat; a job's owner names its worker. A claim and a completion each change one
	 * structure less, and a heartbeat writes one field however many jobs run. Choose it once no
	 * worker of an earlier release runs on the queues: those neither recover such a job when its
	 * worker dies nor see it running.
	 */
	PER_WORKER

}
