package io.gracefulworker.redis;

/**
 * Every operation of {@link RedisJobOperationsIntegrationTests} (status, cancel, the dead set,
 * retention) with kept outcomes indexed in the queues' outcomes lists.
 */
class OutcomeListsRedisJobOperationsIntegrationTests extends RedisJobOperationsIntegrationTests {

	@Override
	RedisOutcomeLayout outcomeLayout() {
		return RedisOutcomeLayout.LIST;
	}

}
