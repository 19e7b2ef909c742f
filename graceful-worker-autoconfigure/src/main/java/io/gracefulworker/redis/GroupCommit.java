package io.gracefulworker.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Stores items that callers hand in one at a time, many to a call when they arrive together
 * (a group commit): a caller that finds no call in flight stores its item at once on its own
 * thread; callers that come while one is in flight wait and go together in the next call, which
 * the first of them makes. No caller waits for a timer, and each returns only once its own item
 * was stored, with that call's result or failure.
 *
 * @param <T> the items
 * @param <R> the result of one call
 */
final class GroupCommit<T, R> {

	private final int maxBatch;

	private final Function<List<T>, R> store;

	private final ReentrantLock lock = new ReentrantLock();

	private final ArrayDeque<Entry<T, R>> waiting = new ArrayDeque<>();

	private boolean storing;

	/**
	 * Creates a group commit.
	 * @param maxBatch the most items one call stores
	 * @param store stores items in one call, all or none
	 */
	GroupCommit(int maxBatch, Function<List<T>, R> store) {
		this.maxBatch = maxBatch;
		this.store = store;
	}

	/**
	 * Stores an item, alone or with others handed in meanwhile.
	 * @param item the item
	 * @return the result of the call that stored it, and where the item stands in that call
	 * @throws RuntimeException what the call that stored it threw
	 */
	Stored<T, R> submit(T item) {
		Entry<T, R> entry = new Entry<>(item, this.lock.newCondition());
		List<Entry<T, R>> batch;
		this.lock.lock();
		try {
			this.waiting.add(entry);
			if (this.storing) {
				while (entry.state == State.WAITING) {
					// Bounded by the leader's Redis call, which has its command timeout.
					entry.turn.awaitUninterruptibly();
				}
				if (entry.state == State.DONE) {
					return entry.outcome();
				}
			}
			this.storing = true;
			batch = new ArrayList<>(Math.min(this.waiting.size(), this.maxBatch));
			while (!this.waiting.isEmpty() && batch.size() < this.maxBatch) {
				batch.add(this.waiting.poll());
			}
		}
		finally {
			this.lock.unlock();
		}
		store(batch);
		return entry.outcome();
	}

	/**
	 * Returns how many items wait for the call in flight to return.
	 * @return the waiting items
	 */
	int waiting() {
		this.lock.lock();
		try {
			return this.waiting.size();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void store(List<Entry<T, R>> batch) {
		List<T> items = new ArrayList<>(batch.size());
		for (Entry<T, R> entry : batch) {
			items.add(entry.item);
		}
		R result = null;
		Throwable failure = null;
		try {
			result = this.store.apply(items);
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
		}
		this.lock.lock();
		try {
			for (int i = 0; i < batch.size(); i++) {
				Entry<T, R> done = batch.get(i);
				done.finish(result, failure, i);
				done.turn.signal();
			}
			Entry<T, R> next = this.waiting.peek();
			if (next != null) {
				next.state = State.LEADING;
				next.turn.signal();
			}
			else {
				this.storing = false;
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * An item's place in the call that stored it.
	 *
	 * @param <T> the items
	 * @param <R> the result of one call
	 * @param result what the call returned
	 * @param index where the item stood among the call's items
	 */
	record Stored<T, R>(R result, int index) {
	}

	private enum State {

		WAITING, LEADING, DONE

	}

	private static final class Entry<T, R> {

		final T item;

		final Condition turn;

		State state = State.WAITING;

		private @Nullable R result;

		private @Nullable Throwable failure;

		private int index;

		Entry(T item, Condition turn) {
			this.item = item;
			this.turn = turn;
		}

		void finish(@Nullable R result, @Nullable Throwable failure, int index) {
			this.result = result;
			this.failure = failure;
			this.index = index;
			this.state = State.DONE;
		}

		@SuppressWarnings("NullAway")
		Stored<T, R> outcome() {
			if (this.failure instanceof RuntimeException ex) {
				throw ex;
			}
			if (this.failure instanceof Error error) {
				throw error;
			}
			return new Stored<>(this.result, this.index);
		}

	}

}
