package io.gracefulworker.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The completions of finished jobs not yet written, and how many are outstanding (not yet written
 * or given up): the completer takes them in batches, and while the dispatcher claims as fast as
 * jobs finish it takes those of the queue it claims from, to write with its claim in one call.
 */
final class PendingCompletions {

	/**
	 * How long a completion waits for the dispatcher's next claim to take it, while the dispatcher
	 * claims as fast as jobs finish, before the completer writes it: a claim under way returns
	 * well within it, and a claim that does not come (every slot refilled by a hand-off, a pause)
	 * delays a completion by no more.
	 */
	static final long CARRY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<Pending> pending = new ArrayDeque<>();

	private final long carryWaitNanos;

	private int outstanding;

	private boolean carried;

	PendingCompletions() {
		this(CARRY_WAIT_NANOS);
	}

	/**
	 * Creates the pending completions with a wait of its own for a claim to take them.
	 * @param carryWaitNanos how long a completion waits for a claim, while claims carry them
	 */
	PendingCompletions(long carryWaitNanos) {
		this.carryWaitNanos = carryWaitNanos;
	}

	void add(JobExecution execution) {
		this.lock.lock();
		try {
			this.pending.add(new Pending(execution, System.nanoTime()));
			this.outstanding++;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Says whether the dispatcher's claims take the completions of their queue: then the
	 * completer leaves each to them for up to its wait ({@link #CARRY_WAIT_NANOS} by default).
	 * @param carried whether the dispatcher claims again as soon as a slot is free
	 */
	void carry(boolean carried) {
		this.lock.lock();
		try {
			if (this.carried != carried) {
				this.carried = carried;
				this.changed.signalAll();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits for completions for the completer to write: at once unless the dispatcher's claims
	 * take them, else once the oldest waited for one as long as it may.
	 * @param max the most to take
	 * @param timeoutNanos how long to wait
	 * @return the completions, oldest first; empty when none was due in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	List<JobExecution> awaitDue(int max, long timeoutNanos) throws InterruptedException {
		long deadline = System.nanoTime() + timeoutNanos;
		this.lock.lock();
		try {
			while (true) {
				long now = System.nanoTime();
				Pending oldest = this.pending.peek();
				long due = (oldest == null) ? deadline : this.carried ? oldest.since + this.carryWaitNanos : now;
				if (oldest != null && due - now <= 0) {
					return take(max, null);
				}
				long wait = Math.min(due, deadline) - now;
				if (deadline - now <= 0) {
					return List.of();
				}
				this.changed.awaitNanos(wait);
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Takes the completions of one queue, oldest first, for the dispatcher's claim to write.
	 * @param queue the queue
	 * @param max the most to take
	 * @return the completions, still outstanding until {@link #done(int) done} or given back
	 */
	List<JobExecution> takeFor(String queue, int max) {
		this.lock.lock();
		try {
			return take(max, queue);
		}
		finally {
			this.lock.unlock();
		}
	}

	private List<JobExecution> take(int max, @Nullable String queue) {
		List<JobExecution> taken = new ArrayList<>(Math.min(max, this.pending.size()));
		Iterator<Pending> each = this.pending.iterator();
		while (each.hasNext() && taken.size() < max) {
			JobExecution execution = each.next().execution;
			if (queue == null || queue.equals(execution.job.queue())) {
				taken.add(execution);
				each.remove();
			}
		}
		return taken;
	}

	/**
	 * Gives back completions taken and not written (the store did not answer the claim that
	 * carried them), for the completer to write at once.
	 * @param executions the completions
	 */
	void giveBack(List<JobExecution> executions) {
		this.lock.lock();
		try {
			long due = System.nanoTime() - this.carryWaitNanos;
			for (int i = executions.size() - 1; i >= 0; i--) {
				this.pending.addFirst(new Pending(executions.get(i), due));
			}
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean isEmpty() {
		this.lock.lock();
		try {
			return this.pending.isEmpty();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Counts completions taken as written or given up.
	 * @param count how many
	 */
	void done(int count) {
		if (count == 0) {
			return;
		}
		this.lock.lock();
		try {
			this.outstanding -= count;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until every completion added was written or given up.
	 * @param deadlineNanos the {@link System#nanoTime()} to give up waiting at
	 * @return whether nothing is outstanding
	 */
	boolean awaitNoneOutstanding(long deadlineNanos) {
		this.lock.lock();
		try {
			while (this.outstanding > 0) {
				long left = deadlineNanos - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				this.changed.awaitNanos(left);
			}
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A completion and when it was added, or given back.
	 */
	private record Pending(JobExecution execution, long since) {
	}

}
