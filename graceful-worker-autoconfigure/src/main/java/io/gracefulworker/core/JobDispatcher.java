package io.gracefulworker.core;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.gracefulworker.WorkerState;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The claim loop: while the worker runs and a slot is free, claims as many jobs as there are
 * free slots from the queues in weighted order and launches them; when the queues are empty it
 * waits for a wake-up, the next scheduled job or the poll interval; when the store does not
 * answer it backs off.
 */
final class JobDispatcher {

	private static final Log logger = LogFactory.getLog(JobDispatcher.class);

	private static final Backoff STORE_BACKOFF = new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(5), 0.5);

	private final JobQueue queue;

	private final WorkerSettings settings;

	private final QueueOrder order;

	private final WorkerSlots slots;

	private final WorkerStateMachine state;

	private final WorkerSignal signal;

	private final StoreContact store;

	private final JobRunner runner;

	private final HandOffs handOffs;

	private final AtomicLong claims = new AtomicLong();

	private final CountDownLatch claimsEnded = new CountDownLatch(1);

	private @Nullable Thread thread;

	JobDispatcher(JobQueue queue, WorkerSettings settings, WorkerSlots slots, WorkerStateMachine state,
			WorkerSignal signal, StoreContact store, JobRunner runner, HandOffs handOffs) {
		this.queue = queue;
		this.settings = settings;
		this.order = new QueueOrder(settings.queues());
		this.slots = slots;
		this.state = state;
		this.signal = signal;
		this.store = store;
		this.runner = runner;
		this.handOffs = handOffs;
	}

	void start() {
		this.thread = WorkerThreads.start("dispatcher", this::run);
	}

	/**
	 * Waits for the loop's last claim to return after the worker left RUNNING. The loop is not
	 * interrupted: a claim cut short could lease jobs that nobody runs until the lease expires,
	 * while a claim that finishes has its jobs given back at launch. The withdrawal of the
	 * registrations for hand-offs that follows is not waited for: they lapse by themselves, and
	 * a store that does not answer must not hold the drain.
	 * @param timeout how long to wait
	 */
	void join(Duration timeout) {
		if (this.thread != null) {
			try {
				this.claimsEnded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		try {
			claimWhileRunning();
		}
		finally {
			this.claimsEnded.countDown();
			withdrawHandOffs();
		}
	}

	private void claimWhileRunning() {
		int failures = 0;
		while (awaitCapacity()) {
			Duration nextDue;
			try {
				nextDue = claim();
				failures = 0;
			}
			catch (RuntimeException ex) {
				if (!this.state.is(WorkerState.RUNNING)) {
					return;
				}
				logger.debug("Worker " + this.settings.id() + " cannot claim jobs; retrying with backoff", ex);
				awaitWork(STORE_BACKOFF.delayAfter(++failures), false);
				continue;
			}
			if (nextDue != null) {
				awaitWork(nextDue, true);
			}
		}
	}

	/**
	 * Fills the free slots: each queue first claims its share, then the slots that queues ran
	 * dry of go to the queues that still have jobs.
	 * @return how long to wait before the next claim if the queues ran dry, or {@code null} to
	 * claim again at once
	 */
	private @Nullable Duration claim() {
		Set<String> dry = new HashSet<>();
		int left = 0;
		Duration wait = this.settings.pollInterval();
		for (Map.Entry<String, Integer> share : this.order.share(this.slots.free()).entrySet()) {
			Claimed claimed = claim(share.getKey(), share.getValue());
			wait = earlier(wait, claimed.result().nextDue());
			if (claimed.unfilled() > 0) {
				dry.add(share.getKey());
				left += claimed.unfilled();
			}
		}
		for (String name : this.order.next()) {
			if (left <= 0) {
				return null;
			}
			if (!dry.contains(name)) {
				Claimed claimed = claim(name, left);
				wait = earlier(wait, claimed.result().nextDue());
				// Slots a hand-off took meanwhile are not left either.
				left = claimed.unfilled();
			}
		}
		return (left > 0) ? wait : null;
	}

	/**
	 * Claims up to {@code max} jobs of a queue into slots kept while the claim is in flight: a job
	 * handed over meanwhile finds them taken, and one that took a free slot first makes this
	 * claim smaller.
	 */
	private Claimed claim(String name, int max) {
		int kept = this.slots.reserveFree(max);
		if (kept == 0) {
			return new Claimed(new ClaimResult(List.of(), null), 0);
		}
		try {
			long seq = this.claims.incrementAndGet();
			HandOffs.Claim sent = this.handOffs.claim(name, seq, this.state.is(WorkerState.RUNNING));
			ClaimResult result = this.store.call(() -> this.queue.claim(name, kept,
					this.settings.leaseDuration(), this.settings.id() + ":" + seq, sent.register(), sent.pending(),
					this.handOffs.registrationTtl()));
			this.handOffs.claimed(name, sent, result);
			result.jobs().forEach(this.runner::launch);
			return new Claimed(result, kept - result.jobs().size());
		}
		finally {
			this.slots.unreserve(kept);
		}
	}

	/**
	 * Withdraws the worker's registrations for hand-offs while it does not claim (paused, or
	 * after the loop); one that a hand-off takes meanwhile brings a job that the runner gives back.
	 */
	private void withdrawHandOffs() {
		this.handOffs.pending().forEach((name, pending) -> {
			long seq = this.claims.incrementAndGet();
			HandOffs.Claim sent = new HandOffs.Claim(null, pending);
			try {
				this.handOffs.claimed(name, sent, this.queue.claim(name, 0, this.settings.leaseDuration(),
						this.settings.id() + ":" + seq, null, pending, this.handOffs.registrationTtl()));
			}
			catch (RuntimeException ex) {
				logger.debug("Worker " + this.settings.id() + " could not withdraw its hand-off registration on queue '"
						+ name + "'; it lapses in " + this.handOffs.registrationTtl().toMillis() + " ms", ex);
			}
		});
	}

	/**
	 * What a claim found, and how many of the slots it kept it left empty: its queue ran dry.
	 */
	private record Claimed(ClaimResult result, int unfilled) {
	}

	private static Duration earlier(Duration wait, @Nullable Duration due) {
		return (due != null && due.compareTo(wait) < 0) ? due : wait;
	}

	/**
	 * Waits while paused (its registrations for hand-offs withdrawn) or while every slot is busy;
	 * returns false once the worker no longer runs, and clears the wake-up for the claim that
	 * follows.
	 */
	private boolean awaitCapacity() {
		if (this.state.is(WorkerState.PAUSED)) {
			// A paused worker takes no job, so no enqueue may hand it one.
			withdrawHandOffs();
		}
		this.signal.awaitUntil(() -> !this.state.is(WorkerState.PAUSED)
				&& !(this.state.is(WorkerState.RUNNING) && this.slots.isFull()), WorkerSignal.FOREVER);
		this.signal.clearWake();
		return this.state.is(WorkerState.RUNNING) && !Thread.currentThread().isInterrupted();
	}

	private void awaitWork(Duration timeout, boolean wakeable) {
		this.signal.awaitUntil(() -> !this.state.is(WorkerState.RUNNING) || (wakeable && this.signal.wakeRequested()),
				System.nanoTime() + timeout.toNanos());
	}

}
