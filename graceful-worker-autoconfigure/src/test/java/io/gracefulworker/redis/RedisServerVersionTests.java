package io.gracefulworker.redis;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions as Redis and Valkey report them, and which the scripts run on.
 */
class RedisServerVersionTests {

	@Test
	void versionsAreReadAsServersWriteThem() {
		assertThat(RedisServerVersion.parse("7.0.15")).contains(new RedisServerVersion(7, 0, 15));
		assertThat(RedisServerVersion.parse("8.0")).contains(new RedisServerVersion(8, 0, 0));
		assertThat(RedisServerVersion.parse("7.4.0-rc1")).contains(new RedisServerVersion(7, 4, 0));
		assertThat(RedisServerVersion.parse(" 6.2.11\r")).contains(new RedisServerVersion(6, 2, 11));
		assertThat(RedisServerVersion.parse("unknown")).isEmpty();
		assertThat(RedisServerVersion.parse("99999999999.0.0")).isEmpty();
	}

	@Test
	void sixPointTwoAndNewerAreSupported() {
		assertThat(new RedisServerVersion(6, 2, 0).isSupported()).isTrue();
		assertThat(new RedisServerVersion(7, 2, 4).isSupported()).as("Valkey 8 reports 7.2.4").isTrue();
		assertThat(new RedisServerVersion(10, 0, 0).isSupported()).isTrue();
		assertThat(new RedisServerVersion(6, 0, 16).isSupported()).isFalse();
		assertThat(new RedisServerVersion(6, 1, 99).isSupported()).isFalse();
		assertThat(new RedisServerVersion(5, 9, 0).isSupported()).isFalse();
	}

	@Test
	void theOldestOfAClustersNodesCounts() {
		Properties standalone = new Properties();
		standalone.setProperty("redis_version", "7.0.15");
		standalone.setProperty("redis_mode", "standalone");
		assertThat(RedisServerVersion.oldestIn(standalone)).contains(new RedisServerVersion(7, 0, 15));
		Properties cluster = new Properties();
		cluster.setProperty("127.0.0.1:7000.redis_version", "7.0.15");
		cluster.setProperty("127.0.0.1:7001.redis_version", "6.0.16");
		cluster.setProperty("127.0.0.1:7001.redis_mode", "cluster");
		assertThat(RedisServerVersion.oldestIn(cluster)).contains(new RedisServerVersion(6, 0, 16));
		assertThat(RedisServerVersion.oldestIn(new Properties())).isEmpty();
	}

}
