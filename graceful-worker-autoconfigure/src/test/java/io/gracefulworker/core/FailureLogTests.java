package io.gracefulworker.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FailureLog}.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureLogTests {

	private final AtomicLong now = new AtomicLong();

	private final FailureLog log = new FailureLog(Duration.ofSeconds(10), this.now::get);

	@Test
	void manyFailuresOfOneKindInAnIntervalLogOneLineAndOneSummary(CapturedOutput output) {
		for (int i = 0; i < 500; i++) {
			this.log.failed("demo.tick", new IllegalStateException("OOM"), false, () -> "full line " + this.now.get());
		}
		this.log.failed("other.job", new IllegalStateException("x"), false, () -> "other full line");
		assertThat(output).containsOnlyOnce("full line 0").containsOnlyOnce("other full line")
			.doesNotContain("more times");
		this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		this.log.flush();
		assertThat(output).containsOnlyOnce(
				"Job demo.tick failed 499 more times with java.lang.IllegalStateException in 10 s; each is retried");
		this.log.failed("demo.tick", new IllegalStateException("OOM"), false, () -> "full line again");
		assertThat(output).contains("full line again");
	}

	@Test
	void aKindWithoutFurtherFailuresLogsNoSummary(CapturedOutput output) {
		this.log.failed("demo.tick", new IllegalStateException("x"), true, () -> "went to the dead set");
		this.now.addAndGet(Duration.ofSeconds(11).toNanos());
		this.log.flush();
		assertThat(output).contains("went to the dead set").doesNotContain("more times");
	}

}
