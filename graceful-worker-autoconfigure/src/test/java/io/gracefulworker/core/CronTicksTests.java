package io.gracefulworker.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.core.CronTicks.Decision;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The pure tick logic: ticks across daylight-saving changes, and what a pass fires when it is on
 * time, a little late, or after a gap with no worker.
 */
class CronTicksTests {

	private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	@Test
	void aDailyTimeInTheSpringForwardGapIsSkippedThatDayAsScheduledDoes() {
		// 2026-03-29 in Paris: 02:00 becomes 03:00, so 02:30 does not exist that day.
		CronTicks ticks = new CronTicks("0 30 2 * * *", PARIS);
		Instant from = Instant.parse("2026-03-28T12:00:00Z");
		assertThat(ticks(ticks, from, from.plus(Duration.ofDays(3))))
			.extracting((tick) -> ZonedDateTime.ofInstant(tick, PARIS).toLocalDateTime().toString())
			.containsExactly("2026-03-30T02:30", "2026-03-31T02:30");
	}

	@Test
	void aDailyTimeInTheFallBackOverlapFiresAtEachOfItsTwoInstantsAsScheduledDoes() {
		// 2026-10-25 in Paris: 03:00 becomes 02:00, so 02:30 happens twice that day, an hour apart.
		CronTicks ticks = new CronTicks("0 30 2 * * *", PARIS);
		Instant from = Instant.parse("2026-10-24T12:00:00Z");
		assertThat(ticks(ticks, from, from.plus(Duration.ofDays(3)))).containsExactly(
				Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-25T01:30:00Z"),
				Instant.parse("2026-10-26T01:30:00Z"), Instant.parse("2026-10-27T01:30:00Z"));
	}

	@Test
	void inUtcADailyScheduleFiresOnceEveryDayWhateverTheLocalChanges() {
		CronTicks ticks = new CronTicks("0 30 2 * * *", ZoneId.of("UTC"));
		for (String from : List.of("2026-03-28T12:00:00Z", "2026-10-24T12:00:00Z")) {
			List<Instant> fired = ticks(ticks, Instant.parse(from), Instant.parse(from).plus(Duration.ofDays(3)));
			assertThat(fired).hasSize(3);
			assertThat(Duration.between(fired.get(0), fired.get(2))).isEqualTo(Duration.ofDays(2));
		}
	}

	@Test
	void anHourlyScheduleKeepsItsTicksOneHourApartThroughTheFallBack() {
		CronTicks ticks = new CronTicks("0 0 * * * *", PARIS);
		Instant from = Instant.parse("2026-10-24T20:00:00Z");
		List<Instant> fired = ticks(ticks, from, from.plus(Duration.ofHours(12)));
		assertThat(fired).hasSize(11).first().isEqualTo(Instant.parse("2026-10-24T21:00:00Z"));
		for (int i = 1; i < fired.size(); i++) {
			assertThat(Duration.between(fired.get(i - 1), fired.get(i))).isEqualTo(Duration.ofHours(1));
		}
	}

	@Test
	void aTickOnTimeFiresAndTheNextIsStored() {
		CronTicks ticks = new CronTicks("* * * * * *", ZoneId.of("UTC"));
		Instant due = Instant.parse("2026-12-01T10:00:00Z");
		Decision decision = ticks.decide(due, due.plusMillis(30), MissedTicks.FIRE_ONCE);
		assertThat(decision.fire()).containsExactly(due);
		assertThat(decision.next()).isEqualTo(due.plusSeconds(1));
		assertThat(decision.skipped()).isZero();
	}

	@Test
	void aPassThatRanALittleLateFiresEachTickItMissedWithinTheLateness() {
		CronTicks ticks = new CronTicks("* * * * * *", ZoneId.of("UTC"));
		Instant due = Instant.parse("2026-12-01T10:00:00Z");
		Decision decision = ticks.decide(due, due.plusMillis(2500), MissedTicks.SKIP);
		assertThat(decision.fire()).containsExactly(due, due.plusSeconds(1), due.plusSeconds(2));
		assertThat(decision.next()).isEqualTo(due.plusSeconds(3));
		assertThat(decision.skipped()).isZero();
	}

	@Test
	void ticksMissedWhileNoWorkerRanFireOnceOnRecoveryNeverInABurst() {
		CronTicks ticks = new CronTicks("0 * * * * *", ZoneId.of("UTC"));
		Instant due = Instant.parse("2026-12-01T10:00:00Z");
		Instant now = due.plus(Duration.ofMinutes(90)).plusSeconds(20);
		Decision decision = ticks.decide(due, now, MissedTicks.FIRE_ONCE);
		assertThat(decision.fire()).containsExactly(Instant.parse("2026-12-01T11:30:00Z"));
		assertThat(decision.skipped()).isEqualTo(90);
		assertThat(decision.next()).isEqualTo(Instant.parse("2026-12-01T11:31:00Z"));
	}

	@Test
	void ticksMissedWhileNoWorkerRanAreSkippedAndCountedWhenTheScheduleSaysSo() {
		CronTicks ticks = new CronTicks("0 * * * * *", ZoneId.of("UTC"));
		Instant due = Instant.parse("2026-12-01T10:00:00Z");
		Decision decision = ticks.decide(due, due.plus(Duration.ofMinutes(90)).plusSeconds(20), MissedTicks.SKIP);
		assertThat(decision.fire()).isEmpty();
		assertThat(decision.skipped()).isEqualTo(91);
		assertThat(decision.next()).isEqualTo(Instant.parse("2026-12-01T11:31:00Z"));
	}

	@Test
	void aLongGapOfAFrequentScheduleIsDecidedInBoundedWork() {
		CronTicks ticks = new CronTicks("* * * * * *", ZoneId.of("UTC"));
		Instant due = Instant.parse("2026-01-01T00:00:00Z");
		Instant now = Instant.parse("2026-12-01T00:00:00Z");
		Decision decision = ticks.decide(due, now, MissedTicks.FIRE_ONCE);
		assertThat(decision.fire()).hasSizeLessThanOrEqualTo(6);
		assertThat(decision.next()).isAfter(now);
	}

	@Test
	void anExpressionThatCannotBeReadIsRefusedAtDeclaration() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CronTicks("every minute", ZoneId.of("UTC")));
	}

	private static List<Instant> ticks(CronTicks ticks, Instant from, Instant to) {
		List<Instant> fired = new ArrayList<>();
		for (Instant tick = ticks.after(from); tick != null && tick.isBefore(to); tick = ticks.after(tick)) {
			fired.add(tick);
		}
		return fired;
	}

}
