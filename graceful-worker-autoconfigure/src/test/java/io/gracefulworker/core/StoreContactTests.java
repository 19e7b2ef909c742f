package io.gracefulworker.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link StoreContact}.
 */
@ExtendWith(OutputCaptureExtension.class)
class StoreContactTests {

	private final StoreContact store = new StoreContact("worker-1");

	@Test
	void aCallThatFailsAFewTimesIsRetriedUntilItAnswers() {
		AtomicInteger calls = new AtomicInteger();
		String result = this.store.retry(Duration.ofSeconds(10), () -> {
			if (calls.incrementAndGet() < 3) {
				throw new IllegalStateException("down");
			}
			return "written";
		}, (ex) -> {
			throw new AssertionError("gave up");
		});
		assertThat(result).isEqualTo("written");
		assertThat(calls).hasValue(3);
	}

	@Test
	void aCallThatNeverAnswersIsGivenUpWithTheLastFailure() {
		List<RuntimeException> givenUp = new ArrayList<>();
		AtomicInteger calls = new AtomicInteger();
		Object result = this.store.retry(Duration.ofMillis(200), () -> {
			throw new IllegalStateException("down " + calls.incrementAndGet());
		}, givenUp::add);
		assertThat(result).isNull();
		assertThat(givenUp).singleElement()
			.satisfies((ex) -> assertThat(ex).hasMessage("down " + calls.get()));
		assertThat(calls.get()).isBetween(2, 4);
	}

	@Test
	void anInterruptedThreadGivesUpAtOnce() {
		List<RuntimeException> givenUp = new ArrayList<>();
		Thread.currentThread().interrupt();
		try {
			Object result = this.store.retry(Duration.ofSeconds(10), () -> {
				throw new IllegalStateException("down");
			}, givenUp::add);
			assertThat(result).isNull();
		}
		finally {
			assertThat(Thread.interrupted()).isTrue();
		}
		assertThat(givenUp).hasSize(1);
	}

	@Test
	void aSilentStoreIsReportedOnceAndItsReturnOnce(CapturedOutput output) {
		for (int i = 0; i < 3; i++) {
			assertThatIllegalStateException().isThrownBy(() -> this.store.call(() -> {
				throw new IllegalStateException("timed out");
			}));
		}
		this.store.call(() -> "ok");
		this.store.call(() -> "ok");
		assertThat(output).containsOnlyOnce("Worker worker-1 cannot reach its job store (timed out)")
			.containsOnlyOnce("Worker worker-1 reaches its job store again after");
	}

	@Test
	void anAnswerEndsTheSilenceAndAFailureDoesNot() {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.store.sinceLastAnswer().compareTo(Duration.ofMillis(50)) > 0);
		assertThatIllegalStateException().isThrownBy(() -> this.store.call(() -> {
			throw new IllegalStateException("down");
		}));
		assertThat(this.store.sinceLastAnswer()).isGreaterThan(Duration.ofMillis(50));
		this.store.call(() -> "ok");
		assertThat(this.store.sinceLastAnswer()).isLessThan(Duration.ofMillis(50));
	}

}
