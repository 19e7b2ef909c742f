package io.gracefulworker.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.gracefulworker.core.HandOffRegistration;
import org.jspecify.annotations.Nullable;

/**
 * The worker's registrations for jobs handed over by an enqueue, a queue at a time: the one it
 * made last and has not seen taken, and the slots it keeps for hand-offs that took a registration
 * and are still on their way, so that the claims and the hand-offs together never fill more slots
 * than the worker has.
 */
final class HandOffs {

	private final WorkerSettings settings;

	private final WorkerSlots slots;

	private final Map<String, Registrations> queues = new HashMap<>();

	HandOffs(WorkerSettings settings, WorkerSlots slots) {
		this.settings = settings;
		this.slots = slots;
	}

	boolean enabled() {
		return this.settings.handOffs();
	}

	/**
	 * How long a registration lasts unless a claim renews it: an idle worker claims at least
	 * once a poll interval.
	 */
	Duration registrationTtl() {
		return this.settings.pollInterval().multipliedBy(3);
	}

	/**
	 * Returns what a claim of a queue sends: the registration it makes and the one pending.
	 * @param queue the queue
	 * @param seq the claim's number
	 * @param register whether to register (the worker runs and takes hand-offs)
	 * @return the claim's registrations
	 */
	synchronized Claim claim(String queue, long seq, boolean register) {
		Registrations state = this.queues.computeIfAbsent(queue, (name) -> new Registrations());
		HandOffRegistration made = (register && enabled())
				? new HandOffRegistration(this.settings.id(), seq) : null;
		return new Claim(made, state.pending);
	}

	/**
	 * Notes what a claim found: a registration it made is pending, and a hand-off that took the
	 * pending one and has not arrived keeps a slot until it does.
	 * @param queue the queue
	 * @param claim what the claim sent
	 * @param result what it found
	 */
	synchronized void claimed(String queue, Claim claim, ClaimResult result) {
		Registrations state = this.queues.computeIfAbsent(queue, (name) -> new Registrations());
		HandOffRegistration sent = claim.pending();
		if (result.handOffUnderWay() && sent != null && !state.arrived.remove(sent.seq())) {
			state.underWay.put(sent.seq(), System.nanoTime() + this.settings.leaseDuration().toNanos());
			this.slots.reserve();
		}
		// A message lost with its connection never arrives; its job comes back when its lease
		// lapses, and so does the slot kept for it.
		long now = System.nanoTime();
		state.underWay.values().removeIf((deadline) -> {
			boolean lapsed = now - deadline > 0;
			if (lapsed) {
				this.slots.unreserve();
			}
			return lapsed;
		});
		HandOffRegistration made = result.registered() ? claim.register() : null;
		// An enqueue may take the registration this claim made, and its message arrive, before
		// the claim's own reply does.
		if (made != null && state.arrived.contains(made.seq())) {
			made = null;
		}
		// Only the claim in flight when a hand-off arrived could have reported it.
		state.arrived.clear();
		state.pending = made;
	}

	/**
	 * Says whether a slot is kept for a job handed over: a claim found it under way.
	 * @param queue the queue
	 * @param seq the number of the registration it took
	 * @return whether its slot is kept
	 */
	synchronized boolean keepsSlotFor(String queue, long seq) {
		Registrations state = this.queues.get(queue);
		return state != null && state.underWay.containsKey(seq);
	}

	/**
	 * Notes a hand-off's arrival: it fills the slot kept for it, or resolves the pending
	 * registration.
	 * @param queue the queue
	 * @param seq the number of the registration it took
	 */
	synchronized void arrived(String queue, long seq) {
		Registrations state = this.queues.computeIfAbsent(queue, (name) -> new Registrations());
		if (state.underWay.remove(seq) != null) {
			this.slots.unreserve();
			return;
		}
		if (state.pending != null && state.pending.seq() == seq) {
			state.pending = null;
		}
		// A claim in flight may have sent it as pending and report it under way.
		state.arrived.add(seq);
	}

	/**
	 * Returns the queues with a registration pending, for their withdrawal.
	 * @return the queues and their pending registrations
	 */
	synchronized Map<String, HandOffRegistration> pending() {
		Map<String, HandOffRegistration> pending = new HashMap<>();
		this.queues.forEach((queue, state) -> {
			if (state.pending != null) {
				pending.put(queue, state.pending);
			}
		});
		return pending;
	}

	/**
	 * What one claim sends.
	 *
	 * @param register the registration it makes, or {@code null}
	 * @param pending the registration pending before it, or {@code null}
	 */
	record Claim(@Nullable HandOffRegistration register, @Nullable HandOffRegistration pending) {
	}

	private static final class Registrations {

		private @Nullable HandOffRegistration pending;

		private final Map<Long, Long> underWay = new HashMap<>();

		private final Set<Long> arrived = new HashSet<>();

	}

}
