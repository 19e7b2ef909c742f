package io.gracefulworker.sample;

import java.nio.file.Path;
import java.time.Duration;

import io.gracefulworker.sample.demo.RolloutDemo;
import io.gracefulworker.sample.demo.RolloutDemo.Restart;
import io.gracefulworker.sample.demo.RolloutDemo.Result;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollout demo's scenario, automated: two instances of the packaged app restarted one after
 * the other while a batch runs, and the ledger is clean.
 */
@ExtendWith(RedisExtension.class)
class RollingRestartProcessTests {

	@Test
	void rollingRestartLosesNothingAndRunsNothingTwice(RedisServer redis) {
		RolloutDemo demo = new RolloutDemo(Path.of("target", "sample-app.jar"), redis.host(), redis.port(),
				System.out);
		Result result = demo.run(400, 200, 500, "10s");
		assertThat(result.enqueued()).isEqualTo(400);
		assertThat(result.missing()).isZero();
		assertThat(result.duplicates()).isZero();
		assertThat(result.restarts()).hasSize(2);
		for (Restart restart : result.restarts()) {
			assertThat(restart.exit()).as(restart.instance() + " exit").isLessThan(Duration.ofSeconds(10 + 5));
			assertThat(restart.states()).as(restart.instance() + " states").contains("DRAINING");
			assertThat(restart.summary()).contains("stopped in");
		}
	}

}
