package io.gracefulworker.core;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The worker's calls to its {@link JobQueue}: remembers when the store last answered, and
 * retries a write for a bounded time when it does not, so that a blip does not turn a finished
 * job into a rerun. Retrying is safe because every write of a leased job checks its fencing
 * token.
 */
final class StoreContact {

	private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofMillis(50), 2, Duration.ofSeconds(1), 0);

	private volatile long lastAnswer = System.nanoTime();

	/**
	 * Calls the store once and notes its answer.
	 * @param <T> the result type
	 * @param operation the call
	 * @return its result
	 */
	<T> T call(Supplier<T> operation) {
		T result = operation.get();
		answered();
		return result;
	}

	/**
	 * Calls the store until it answers, the time is up, or the thread is interrupted.
	 * @param <T> the result type
	 * @param retryFor how long to keep trying
	 * @param operation the call
	 * @param giveUp called with the last failure when it gives up
	 * @return the result, or {@code null} if it gave up
	 */
	<T> @Nullable T retry(Duration retryFor, Supplier<T> operation, Consumer<RuntimeException> giveUp) {
		long deadline = System.nanoTime() + retryFor.toNanos();
		for (int attempt = 1;; attempt++) {
			try {
				return call(operation);
			}
			catch (RuntimeException ex) {
				Duration backoff = RETRY_BACKOFF.delayAfter(attempt);
				if (System.nanoTime() + backoff.toNanos() > deadline || Thread.currentThread().isInterrupted()) {
					giveUp.accept(ex);
					return null;
				}
				try {
					Thread.sleep(backoff.toMillis());
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					giveUp.accept(ex);
					return null;
				}
			}
		}
	}

	void answered() {
		this.lastAnswer = System.nanoTime();
	}

	Duration sinceLastAnswer() {
		return Duration.ofNanos(System.nanoTime() - this.lastAnswer);
	}

}
