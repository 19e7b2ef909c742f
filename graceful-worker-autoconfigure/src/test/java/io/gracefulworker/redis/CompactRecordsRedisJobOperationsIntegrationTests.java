package io.gracefulworker.redis;

/**
 * Every operation of {@link RedisJobOperationsIntegrationTests} (status, cancel, the dead set,
 * retention) on jobs written in the compact layout.
 */
class CompactRecordsRedisJobOperationsIntegrationTests extends RedisJobOperationsIntegrationTests {

	@Override
	RedisRecordLayout layout() {
		return RedisRecordLayout.COMPACT;
	}

}
