package io.gracefulworker.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's slots as claims and hand-offs share them: slots kept for a claim in flight are
 * not free to a job handed over meanwhile, and a job handed over into a full worker is told so.
 */
class WorkerSlotsTests {

	private final WorkerSlots slots = new WorkerSlots(2, new WorkerSignal());

	@Test
	void aClaimKeepsAtMostTheFreeSlots() {
		assertThat(this.slots.reserveFree(5)).isEqualTo(2);
		assertThat(this.slots.free()).isZero();
		assertThat(this.slots.reserveFree(1)).isZero();
		this.slots.unreserve(2);
		assertThat(this.slots.free()).isEqualTo(2);
	}

	@Test
	void aJobHandedOverWhileAClaimKeepsTheSlotsFindsNoneFree() {
		int kept = this.slots.reserveFree(2);
		assertThat(this.slots.occupy(execution("handed"))).isFalse();
		// The claim's jobs take the slots it kept.
		assertThat(this.slots.occupy(execution("a"))).isFalse();
		this.slots.unreserve(kept);
		assertThat(this.slots.occupy(execution("b"))).isFalse();
	}

	@Test
	void aJobHandedOverFirstMakesTheNextClaimSmaller() {
		assertThat(this.slots.occupy(execution("handed"))).isTrue();
		assertThat(this.slots.reserveFree(2)).isEqualTo(1);
	}

	private static JobExecution execution(String id) {
		return new JobExecution(ClaimedJob.unreadable(id, "q", "w:1:1", "test"));
	}

}
