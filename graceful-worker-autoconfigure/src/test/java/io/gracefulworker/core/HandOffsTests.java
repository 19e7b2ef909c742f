package io.gracefulworker.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.gracefulworker.core.ClaimResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's bookkeeping of hand-off registrations: a slot is kept exactly while a hand-off that
 * took a registration is on its way, whichever of its message and the claim that learns of it
 * arrives first.
 */
class HandOffsTests {

	private final WorkerSlots slots = new WorkerSlots(4, new WorkerSignal());

	@Test
	void aRegistrationIsPendingUntilItsHandOffArrives() {
		HandOffs handOffs = handOffs(Duration.ofSeconds(30));
		HandOffs.Claim first = handOffs.claim("q", 1, true);
		assertThat(first.register()).isNotNull();
		assertThat(first.pending()).isNull();
		handOffs.claimed("q", first, registered());
		assertThat(handOffs.claim("q", 2, true).pending()).isEqualTo(first.register());
		handOffs.arrived("q", 1);
		assertThat(handOffs.claim("q", 3, true).pending()).isNull();
		assertThat(this.slots.free()).isEqualTo(4);
	}

	@Test
	void aClaimThatLearnsOfAHandOffOnItsWayKeepsASlotUntilItArrives() {
		HandOffs handOffs = handOffs(Duration.ofSeconds(30));
		HandOffs.Claim second = registerThenClaim(handOffs);
		handOffs.claimed("q", second, underWay());
		assertThat(this.slots.free()).isEqualTo(3);
		handOffs.arrived("q", 1);
		assertThat(this.slots.free()).isEqualTo(4);
	}

	@Test
	void aHandOffThatArrivesBeforeTheClaimThatLearnsOfItKeepsNoSlot() {
		HandOffs handOffs = handOffs(Duration.ofSeconds(30));
		HandOffs.Claim second = registerThenClaim(handOffs);
		// The message comes while the second claim is in flight.
		handOffs.arrived("q", 1);
		handOffs.claimed("q", second, underWay());
		assertThat(this.slots.free()).isEqualTo(4);
	}

	@Test
	void aHandOffThatArrivesBeforeTheReplyOfTheClaimThatRegisteredLeavesNothingPending() {
		HandOffs handOffs = handOffs(Duration.ofSeconds(30));
		HandOffs.Claim first = handOffs.claim("q", 1, true);
		// An enqueue takes the registration and its message comes before the claim's reply.
		handOffs.arrived("q", 1);
		handOffs.claimed("q", first, registered());
		HandOffs.Claim second = handOffs.claim("q", 2, true);
		assertThat(second.pending()).isNull();
		handOffs.claimed("q", second, new ClaimResult(List.of(), null));
		assertThat(this.slots.free()).isEqualTo(4);
	}

	@Test
	void aSlotKeptForAHandOffThatNeverArrivesIsGivenUpWhenItsLeaseHasLapsed() {
		HandOffs handOffs = handOffs(Duration.ofMillis(3));
		HandOffs.Claim second = registerThenClaim(handOffs);
		handOffs.claimed("q", second, underWay());
		assertThat(this.slots.free()).isEqualTo(3);
		long lapsed = System.nanoTime() + Duration.ofMillis(3).toNanos();
		while (System.nanoTime() - lapsed < 0) {
			Thread.onSpinWait();
		}
		handOffs.claimed("q", handOffs.claim("q", 3, true), new ClaimResult(List.of(), null));
		assertThat(this.slots.free()).isEqualTo(4);
	}

	@Test
	void aWorkerThatDoesNotRunRegistersNothingAndItsPendingRegistrationsAreListedForWithdrawal() {
		HandOffs handOffs = handOffs(Duration.ofSeconds(30));
		HandOffs.Claim first = handOffs.claim("q", 1, true);
		handOffs.claimed("q", first, registered());
		assertThat(handOffs.claim("q", 2, false).register()).isNull();
		assertThat(handOffs.pending()).isEqualTo(Map.of("q", first.register()));
	}

	/**
	 * Registers with a first claim, then starts a second that sends the first's registration as
	 * pending.
	 */
	private static HandOffs.Claim registerThenClaim(HandOffs handOffs) {
		handOffs.claimed("q", handOffs.claim("q", 1, true), registered());
		return handOffs.claim("q", 2, true);
	}

	private HandOffs handOffs(Duration lease) {
		Duration heartbeat = lease.dividedBy(3);
		return new HandOffs(new WorkerSettings("w1", 4, Map.of("q", 1), lease, heartbeat, Duration.ofSeconds(1),
				Duration.ofSeconds(5), 3, Duration.ofSeconds(1), Duration.ofMinutes(1), null, 0, false, true),
				this.slots);
	}

	private static ClaimResult registered() {
		return new ClaimResult(List.of(), null, true, false);
	}

	private static ClaimResult underWay() {
		return new ClaimResult(List.of(), null, false, true);
	}

}
