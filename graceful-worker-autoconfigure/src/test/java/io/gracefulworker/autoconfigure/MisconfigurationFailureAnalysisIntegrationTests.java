package io.gracefulworker.autoconfigure;

import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A misconfigured worker fails the startup through Spring Boot's failure analysis, which names
 * the property and what is wrong with it, not with a stack trace from deep inside.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class MisconfigurationFailureAnalysisIntegrationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			graceful-worker.worker.lease-duration=0         | graceful-worker.worker.lease-duration    | it must be positive
			graceful-worker.worker.recovery-interval=0      | graceful-worker.worker.recovery-interval | it must be positive
			graceful-worker.worker.poll-interval=0          | graceful-worker.worker.poll-interval     | it must be positive
			graceful-worker.worker.queues.bulk=0            | graceful-worker.worker.queues.bulk       | weight must be at least 1
			graceful-worker.worker.queues.bulk=-2           | graceful-worker.worker.queues.bulk       | weight must be at least 1
			graceful-worker.worker.concurrency=0            | graceful-worker.worker.concurrency       | it must be at least 1
			graceful-worker.worker.concurrency=40000        | graceful-worker.worker.concurrency       | at most 32767 with platform threads
			graceful-worker.retry.jitter=2                  | graceful-worker.retry.jitter             | between 0 and 1
			graceful-worker.retry.max-attempts=0            | graceful-worker.retry.max-attempts       | it must be at least 1
			graceful-worker.retention.succeeded=-1s         | graceful-worker.retention.succeeded      | it must not be negative
			graceful-worker.retention.dead-max=-1           | graceful-worker.retention.dead-max       | it must not be negative
			""")
	void startupFailsWithAnAnalysisNamingTheProperty(String setting, String property, String reason, RedisServer redis,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> TestApplication.start(redis, setting).close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value")
			.contains("for configuration property '" + property + "'")
			.contains(reason)
			.contains("Action:");
	}

	@Test
	void anUnknownRecordLayoutFailsStartupWithAnAnalysisListingTheLayouts(RedisServer redis, CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> TestApplication.start(redis, "graceful-worker.enqueue.record-layout=smallest").close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("graceful-worker.enqueue.record-layout")
			.contains("smallest")
			.contains("The following values are valid")
			.contains("AUTO")
			.contains("COMPACT")
			.contains("JSON");
	}

}
