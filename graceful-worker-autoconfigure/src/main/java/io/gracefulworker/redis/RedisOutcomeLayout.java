package io.gracefulworker.redis;

/**
 * Where the ids of a queue's kept outcomes (succeeded and cancelled jobs) are indexed in Redis.
 * Either way the outcome's record says its state and when its job ended, and this release reads,
 * counts and trims both; workers of earlier builds read only {@link #SORTED_SET}.
 */
public enum RedisOutcomeLayout {

	/**
	 * {@link #LIST} while every live worker in the fleet registry says it reads that layout, else
	 * {@link #SORTED_SET}; while it is the sorted set, each recovery pass's trim moves the
	 * outcomes a queue's list holds into its sorted set, so that a worker of an earlier build
	 * reads them.
	 */
	AUTO,

	/**
	 * The queue's {@code finished} sorted set, by when each job ended: every release reads it.
	 */
	SORTED_SET,

	/**
	 * The queue's {@code outcomes} list, in the order the jobs ended: no time is asked and no score
	 * is parsed, which spares a completion about a fifth of Redis's work. Written whatever the
	 * fleet reads: a worker of an earlier build reports such a job as ready, records it as
	 * cancelled when asked to cancel it, and takes a recurring job's previous run that ended so
	 * for one still running.
	 */
	LIST

}
