package io.gracefulworker.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The worker's calls to its {@link JobQueue}: remembers when the store last answered, says once
 * when it stops answering and once when it answers again, and retries a write for a bounded time
 * when it does not, so that a blip does not turn a finished job into a rerun. Retrying is safe
 * because every write of a leased job checks its fencing token.
 */
final class StoreContact {

	private static final Log logger = LogFactory.getLog(StoreContact.class);

	private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofMillis(50), 2, Duration.ofSeconds(1), 0);

	private final String workerId;

	private final AtomicBoolean unreachable = new AtomicBoolean();

	private volatile long lastAnswer = System.nanoTime();

	StoreContact(String workerId) {
		this.workerId = workerId;
	}

	/**
	 * Calls the store once and notes its answer.
	 * @param <T> the result type
	 * @param operation the call
	 * @return its result
	 */
	<T> T call(Supplier<T> operation) {
		T result;
		try {
			result = operation.get();
		}
		catch (RuntimeException ex) {
			if (this.unreachable.compareAndSet(false, true)) {
				logger.warn("Worker " + this.workerId + " cannot reach its job store (" + ex.getMessage()
						+ "); it keeps trying, and running jobs keep their leases only until they expire");
			}
			throw ex;
		}
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

	private void answered() {
		long silent = System.nanoTime() - this.lastAnswer;
		this.lastAnswer = System.nanoTime();
		if (this.unreachable.compareAndSet(true, false)) {
			logger.info("Worker " + this.workerId + " reaches its job store again after "
					+ Duration.ofNanos(silent).toMillis() + " ms");
		}
	}

	Duration sinceLastAnswer() {
		return Duration.ofNanos(System.nanoTime() - this.lastAnswer);
	}

}
