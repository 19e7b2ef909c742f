package io.gracefulworker.autoconfigure;

import io.gracefulworker.redis.RedisServerVersion;
import io.gracefulworker.redis.UnsupportedRedisException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup refused because Redis is older than Graceful Worker's scripts need.
 */
class UnsupportedRedisFailureAnalyzer extends AbstractFailureAnalyzer<UnsupportedRedisException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedRedisException cause) {
		RedisServerVersion oldest = RedisServerVersion.OLDEST_SUPPORTED;
		return new FailureAnalysis("The Redis that spring.data.redis.* names reports version " + cause.version()
				+ ". Graceful Worker needs Redis " + oldest + " or newer: its claims pop several jobs with one LPOP,"
				+ " which older servers refuse, so jobs would be stored and never run.",
				"Upgrade that Redis to " + oldest + " or newer (or use Valkey 7.2 or newer), or point"
						+ " spring.data.redis.* at such a server.",
				cause);
	}

}
