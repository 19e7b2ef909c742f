package io.gracefulworker.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DrainBudget}.
 */
class DrainBudgetTests {

	@Test
	void defaultReserveIsATenthOfThePhase() {
		DrainBudget budget = DrainBudget.of(Duration.ofSeconds(30), null);
		assertThat(budget.reserve()).isEqualTo(Duration.ofSeconds(3));
		assertThat(budget.window()).isEqualTo(Duration.ofSeconds(27));
	}

	@Test
	void defaultReserveIsAtLeastOneSecondButAtMostHalfThePhase() {
		assertThat(DrainBudget.of(Duration.ofSeconds(5), null).reserve()).isEqualTo(Duration.ofSeconds(1));
		assertThat(DrainBudget.of(Duration.ofMillis(1200), null).reserve()).isEqualTo(Duration.ofMillis(600));
	}

	@Test
	void interruptGraceIsHalfTheReserveAndAtMostTwoSeconds() {
		assertThat(DrainBudget.of(Duration.ofSeconds(10), Duration.ofMillis(1500)).interruptGrace())
			.isEqualTo(Duration.ofMillis(750));
		assertThat(DrainBudget.of(Duration.ofMinutes(5), null).interruptGrace()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void aConfiguredReserveIsKeptAsItIs() {
		DrainBudget budget = DrainBudget.of(Duration.ofSeconds(20), Duration.ofSeconds(4));
		assertThat(budget.reserve()).isEqualTo(Duration.ofSeconds(4));
		assertThat(budget.window()).isEqualTo(Duration.ofSeconds(16));
		assertThat(budget.margin()).isPositive().isLessThan(budget.reserve());
	}

	@Test
	void aReserveThatDoesNotFitInThePhaseIsRefusedWithAPlainMessage() {
		assertThatIllegalArgumentException().isThrownBy(() -> DrainBudget.of(Duration.ofSeconds(5), Duration.ofSeconds(5)))
			.withMessage("The requeue reserve (5000 ms) must be shorter than the shutdown phase timeout (5000 ms),"
					+ " or no time is left for running jobs to finish")
			.withMessageNotContaining("graceful-worker");
	}

}
