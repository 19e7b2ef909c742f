package io.gracefulworker.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link RedisJobEnqueuer} reads Redis's refusal of a write, as Redis 7 returns it
 * and as Redis 6.2 wraps it when a script's command raised it.
 */
class RedisJobEnqueuerTests {

	private static final String WRAPPED = "ERR Error running script (call to f_d0473b3c27bb666c0bbca01cca025a6588a76509):"
			+ " @user_script:45: @user_script: 45: -";

	@Test
	void anOutOfMemoryRefusalIsReadFromEitherRelease() {
		assertThat(refusal("OOM command not allowed when used memory > 'maxmemory'.")).startsWith("Redis is out of memory");
		assertThat(refusal(WRAPPED + "OOM command not allowed when used memory > 'maxmemory'."))
			.startsWith("Redis is out of memory");
	}

	@Test
	void aReplicaRefusalIsReadFromEitherRelease() {
		assertThat(refusal("NOREPLICAS Not enough good replicas to write.")).contains("min-replicas-to-write");
		assertThat(refusal(WRAPPED + "NOREPLICAS Not enough good replicas to write.")).contains("min-replicas-to-write");
		assertThat(refusal(WRAPPED + "READONLY You can't write against a read only replica.")).contains("replica");
	}

	@Test
	void aTimeoutOrAScriptsOwnErrorIsNoRefusal() {
		assertThat(RedisJobEnqueuer.refusal(new RedisSystemException("Redis command timed out",
				new RedisCommandTimeoutException("Command timed out after 1 minute(s)")))).isNull();
		assertThat(refusal("ERR Error running script (call to f_d0473b3c27bb666c0bbca01cca025a6588a76509):"
				+ " @user_script:12: user_script:12: Script attempted to access nonexistent global variable 'x'")).isNull();
	}

	private static String refusal(String message) {
		return RedisJobEnqueuer.refusal(new RedisSystemException("Error in execution",
				new RedisCommandExecutionException(message)));
	}

}
