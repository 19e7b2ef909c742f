package io.gracefulworker.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Backoff}.
 */
class BackoffTests {

	private final Backoff backoff = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30), 0.2);

	@Test
	void delayGrowsByTheMultiplierFromTheInitialDelay() {
		assertThat(this.backoff.delayAfter(1, 0.5)).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.backoff.delayAfter(2, 0.5)).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.backoff.delayAfter(4, 0.5)).isEqualTo(Duration.ofSeconds(8));
	}

	@Test
	void jitterSpreadsTheDelayEvenlyAroundItsMiddle() {
		assertThat(this.backoff.delayAfter(3, 0)).isEqualTo(Duration.ofMillis(3200));
		assertThat(this.backoff.delayAfter(3, 0.999_999)).isEqualTo(Duration.ofMillis(4800));
	}

	@Test
	void delayNeverExceedsTheMaximumWhateverTheAttemptOrTheDraw() {
		for (int attempt = 1; attempt < 2000; attempt += 7) {
			assertThat(this.backoff.delayAfter(attempt, 0.999_999)).isLessThanOrEqualTo(Duration.ofSeconds(30));
			assertThat(this.backoff.delayAfter(attempt)).isBetween(Duration.ZERO, Duration.ofSeconds(30));
		}
		assertThat(this.backoff.delayAfter(100, 0)).isEqualTo(Duration.ofSeconds(24));
	}

	@Test
	void withoutJitterEveryDrawGivesTheSameDelay() {
		Backoff fixed = new Backoff(Duration.ofMillis(50), 2, Duration.ofSeconds(1), 0);
		assertThat(fixed.delayAfter(3, 0)).isEqualTo(fixed.delayAfter(3, 0.9)).isEqualTo(Duration.ofMillis(200));
		assertThat(fixed.delayAfter(10)).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void rejectsAMultiplierBelowOneAndAJitterOutsideZeroToOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 0))
			.withMessageContaining("'multiplier'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1.5))
			.withMessageContaining("'jitter'");
	}

}
