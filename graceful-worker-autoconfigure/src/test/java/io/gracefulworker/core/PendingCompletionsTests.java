package io.gracefulworker.core;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which completions the completer writes at once, and which wait for the dispatcher's claim.
 */
class PendingCompletionsTests {

	/** Completions that wait for a claim longer than any test runs. */
	private final PendingCompletions pending = new PendingCompletions(Duration.ofMinutes(10).toNanos());

	@Test
	void aCompletionIsDueAtOnceWhileClaimsDoNotCarryThem() throws InterruptedException {
		JobExecution done = execution("a", "q");
		this.pending.add(done);
		assertThat(this.pending.awaitDue(10, 0)).containsExactly(done);
	}

	@Test
	void whileClaimsCarryThemACompletionWaitsForTheNextClaimOfItsQueue() throws InterruptedException {
		this.pending.carry(true);
		JobExecution first = execution("a", "q");
		JobExecution other = execution("b", "other");
		JobExecution second = execution("c", "q");
		this.pending.add(first);
		this.pending.add(other);
		this.pending.add(second);
		assertThat(this.pending.awaitDue(10, 0)).isEmpty();
		assertThat(this.pending.takeFor("q", 10)).containsExactly(first, second);
		assertThat(this.pending.awaitNoneOutstanding(System.nanoTime())).isFalse();
		this.pending.done(2);
		assertThat(this.pending.takeFor("other", 10)).containsExactly(other);
		this.pending.done(1);
		assertThat(this.pending.awaitNoneOutstanding(System.nanoTime())).isTrue();
	}

	@Test
	void aCompletionNoClaimTookIsDueAfterTheCarryWait() throws InterruptedException {
		long wait = Duration.ofMillis(50).toNanos();
		PendingCompletions pending = new PendingCompletions(wait);
		pending.carry(true);
		JobExecution done = execution("a", "q");
		long start = System.nanoTime();
		pending.add(done);
		assertThat(pending.awaitDue(10, Duration.ofSeconds(10).toNanos())).containsExactly(done);
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(wait);
	}

	@Test
	void completionsAreDueAtOnceWhenClaimsNoLongerCarryThem() throws InterruptedException {
		this.pending.carry(true);
		JobExecution done = execution("a", "q");
		this.pending.add(done);
		this.pending.carry(false);
		assertThat(this.pending.awaitDue(10, 0)).containsExactly(done);
	}

	@Test
	void completionsGivenBackByAClaimAreDueAtOnceAheadOfTheRest() throws InterruptedException {
		this.pending.carry(true);
		JobExecution taken = execution("a", "q");
		JobExecution later = execution("b", "q");
		this.pending.add(taken);
		List<JobExecution> claim = this.pending.takeFor("q", 10);
		this.pending.add(later);
		this.pending.giveBack(claim);
		// Once the oldest is due, whatever waits behind it goes in the same batch.
		assertThat(this.pending.awaitDue(10, 0)).containsExactly(taken, later);
	}

	private static JobExecution execution(String id, String queue) {
		return new JobExecution(ClaimedJob.unreadable(id, queue, "w:1:1", "test"));
	}

}
