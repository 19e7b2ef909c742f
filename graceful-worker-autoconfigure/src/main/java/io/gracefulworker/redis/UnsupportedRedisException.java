package io.gracefulworker.redis;

/**
 * Thrown at startup when Redis is older than the library's scripts need: on it every claim would
 * fail, so jobs would be stored and never run.
 */
public class UnsupportedRedisException extends IllegalStateException {

	private final RedisServerVersion version;

	/**
	 * Creates an exception for the version Redis reported.
	 * @param version the version
	 */
	public UnsupportedRedisException(RedisServerVersion version) {
		super("Redis reports version " + version + "; Graceful Worker needs Redis "
				+ RedisServerVersion.OLDEST_SUPPORTED + " or newer");
		this.version = version;
	}

	/**
	 * Returns the version Redis reported.
	 * @return the version
	 */
	public RedisServerVersion version() {
		return this.version;
	}

}
