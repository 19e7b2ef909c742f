package io.gracefulworker.core;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The one thing the worker's loops wait on: told when the state changes, a slot frees up or a
 * queue may have ready jobs (a wake-up), so that a wait never misses the change it waits for.
 */
final class WorkerSignal {

	/** Waits without a deadline. */
	static final long FOREVER = Long.MAX_VALUE;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private boolean wakeRequested;

	/**
	 * Tells every waiter to check its condition again.
	 */
	void changed() {
		this.lock.lock();
		try {
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Notes that jobs may have become ready, and tells every waiter.
	 */
	void wake() {
		this.lock.lock();
		try {
			this.wakeRequested = true;
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	boolean wakeRequested() {
		this.lock.lock();
		try {
			return this.wakeRequested;
		}
		finally {
			this.lock.unlock();
		}
	}

	void clearWake() {
		this.lock.lock();
		try {
			this.wakeRequested = false;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Waits until the condition holds or the deadline passes. The condition is evaluated while
	 * holding the signal's lock. An interrupt ends the wait and stays set on the thread.
	 * @param condition what to wait for
	 * @param deadlineNanos the {@link System#nanoTime()} to stop waiting at, or {@link #FOREVER}
	 * @return whether the condition holds
	 */
	boolean awaitUntil(BooleanSupplier condition, long deadlineNanos) {
		this.lock.lock();
		try {
			while (!condition.getAsBoolean()) {
				if (deadlineNanos == FOREVER) {
					this.changed.await();
					continue;
				}
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
			return condition.getAsBoolean();
		}
		finally {
			this.lock.unlock();
		}
	}

}
