package io.gracefulworker.redis;

/**
 * Every state change of {@link RedisJobQueueIntegrationTests} with new jobs written in the
 * compact layout.
 */
class CompactRecordsRedisJobQueueIntegrationTests extends RedisJobQueueIntegrationTests {

	@Override
	RedisRecordLayout layout() {
		return RedisRecordLayout.COMPACT;
	}

}
