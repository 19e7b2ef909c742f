package io.gracefulworker.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Retries a write of a job's outcome while Redis does not answer, for a bounded time: a blip in
 * Redis should not turn a finished job into a rerun. Retrying is safe because every script
 * checks the fencing token.
 */
final class RedisRetry {

	private static final long FIRST_BACKOFF_MS = 50;

	private static final long MAX_BACKOFF_MS = 1000;

	private RedisRetry() {
	}

	/**
	 * Runs the operation until it returns, the time is up, or the thread is interrupted.
	 * @param <T> the result type
	 * @param retryFor how long to keep trying
	 * @param operation the operation
	 * @param giveUp called with the last failure when it gives up
	 * @return the result, or {@code null} if it gave up
	 */
	static <T> @Nullable T call(Duration retryFor, Supplier<T> operation, Consumer<RuntimeException> giveUp) {
		long deadline = System.nanoTime() + retryFor.toNanos();
		long backoff = FIRST_BACKOFF_MS;
		while (true) {
			try {
				return operation.get();
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > deadline
						|| Thread.currentThread().isInterrupted()) {
					giveUp.accept(ex);
					return null;
				}
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					giveUp.accept(ex);
					return null;
				}
				backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
			}
		}
	}

}
