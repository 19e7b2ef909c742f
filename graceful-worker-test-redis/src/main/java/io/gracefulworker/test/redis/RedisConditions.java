package io.gracefulworker.test.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits, for the test support, until Redis servers reach a state: asked every 20 ms, for at most
 * a minute, a server that does not answer yet counting as not there.
 */
final class RedisConditions {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	private RedisConditions() {
	}

	static void await(String what, Condition condition) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		IOException last = null;
		while (System.nanoTime() < deadline) {
			try {
				if (condition.holds()) {
					return;
				}
			}
			catch (IOException ex) {
				last = ex;
			}
			LockSupport.parkNanos(POLL_INTERVAL.toNanos());
		}
		throw new IllegalStateException("Timed out waiting for " + what, last);
	}

	interface Condition {

		boolean holds() throws IOException;

	}

}
