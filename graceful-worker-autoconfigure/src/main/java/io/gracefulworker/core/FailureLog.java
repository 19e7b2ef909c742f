package io.gracefulworker.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs failed attempts without flooding the log: for each job and exception type, the first
 * failure of an interval is logged in full, and the others of that interval as one line when the
 * interval ends.
 */
final class FailureLog {

	private static final Log logger = LogFactory.getLog(OutcomeRecorder.class);

	private final long intervalNanos;

	private final LongSupplier clock;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	FailureLog(Duration interval) {
		this(interval, System::nanoTime);
	}

	FailureLog(Duration interval, LongSupplier clock) {
		this.intervalNanos = interval.toNanos();
		this.clock = clock;
	}

	/**
	 * Logs a failure, or counts it if one of its kind was logged in this interval.
	 * @param job the job name
	 * @param ex what it threw
	 * @param dead whether the job went to the dead set (logged as an error)
	 * @param line the full line, made only when it is logged
	 */
	void failed(String job, Throwable ex, boolean dead, Supplier<String> line) {
		String key = job + '\0' + ex.getClass().getName() + '\0' + dead;
		long now = this.clock.getAsLong();
		boolean[] first = new boolean[1];
		this.windows.compute(key, (name, window) -> {
			if (window == null || now - window.start >= this.intervalNanos) {
				if (window != null) {
					window.summarize(job, ex.getClass().getName(), dead);
				}
				first[0] = true;
				return new Window(now);
			}
			window.suppressed++;
			return window;
		});
		if (first[0]) {
			if (dead) {
				logger.error(line.get(), ex);
			}
			else {
				logger.warn(line.get());
			}
		}
	}

	/**
	 * Logs the counts of intervals that have ended.
	 */
	void flush() {
		long now = this.clock.getAsLong();
		this.windows.forEach((key, window) -> {
			if (now - window.start >= this.intervalNanos && this.windows.remove(key, window)) {
				String[] parts = key.split("\0", 3);
				window.summarize(parts[0], parts[1], Boolean.parseBoolean(parts[2]));
			}
		});
	}

	private final class Window {

		private final long start;

		private int suppressed;

		Window(long start) {
			this.start = start;
		}

		void summarize(String job, String type, boolean dead) {
			if (this.suppressed > 0) {
				logger.warn("Job " + job + " failed " + this.suppressed + " more times with " + type + " in "
						+ Duration.ofNanos(FailureLog.this.intervalNanos).toSeconds() + " s"
						+ (dead ? " and moved to the dead set" : "; each is retried with backoff"));
			}
		}

	}

}
