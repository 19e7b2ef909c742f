package io.gracefulworker.redis;

/**
 * How a new job's record is written in Redis. Every layout is read by this release whatever it
 * writes; workers of earlier releases read only {@link #JSON}.
 */
public enum RedisRecordLayout {

	/**
	 * A JSON object with named fields, which every release reads.
	 */
	JSON,

	/**
	 * The same fields by position behind a control character: about 40 bytes less Redis memory
	 * a queued job. Choose it once no worker of an earlier release reads the queues.
	 */
	COMPACT

}
