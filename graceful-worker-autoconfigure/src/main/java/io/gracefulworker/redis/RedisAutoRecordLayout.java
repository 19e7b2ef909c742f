package io.gracefulworker.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Decides, for {@link RedisRecordLayout#AUTO}, whether a new record is written compact: only
 * while the fleet registry lists live workers and every one of them says it reads compact
 * records. The registry is asked on a write at most once a recheck interval, by one thread while
 * the others go on with the last answer; an unanswered question counts as no, since JSON is read
 * by every build.
 */
final class RedisAutoRecordLayout {

	private static final Log logger = LogFactory.getLog(RedisAutoRecordLayout.class);

	private final RedisFleet fleet;

	private final long recheckNanos;

	private final AtomicBoolean asking = new AtomicBoolean();

	private volatile boolean asked;

	private volatile long askedAt;

	private volatile boolean compact;

	RedisAutoRecordLayout(RedisFleet fleet, Duration recheck) {
		this.fleet = fleet;
		this.recheckNanos = recheck.toNanos();
	}

	/**
	 * Says whether a record written now may be compact.
	 * @return whether every live worker reads compact records
	 */
	boolean compact() {
		if ((!this.asked || System.nanoTime() - this.askedAt >= this.recheckNanos) && this.asking.compareAndSet(false, true)) {
			try {
				ask();
			}
			finally {
				this.asking.set(false);
			}
		}
		return this.compact;
	}

	private void ask() {
		RedisFleet.Readers readers = null;
		try {
			readers = this.fleet.readers(RedisRecordLayout.COMPACT);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not ask the fleet registry which record layouts its workers read; writing JSON", ex);
		}
		boolean compact = readers != null && readers.all();
		this.askedAt = System.nanoTime();
		this.asked = true;
		if (compact != this.compact && readers != null) {
			if (compact) {
				logger.info("Writing new jobs' records compact: all " + readers.live()
						+ " live workers read them (graceful-worker.enqueue.record-layout=auto)");
			}
			else if (readers.live() == 0) {
				logger.info("Writing new jobs' records as JSON: no worker is live in the fleet registry"
						+ " (graceful-worker.enqueue.record-layout=auto)");
			}
			else {
				logger.info("Writing new jobs' records as JSON: " + (readers.live() - readers.readers()) + " of "
						+ readers.live() + " live workers do not read compact ones (workers of an earlier build)"
						+ " (graceful-worker.enqueue.record-layout=auto)");
			}
		}
		this.compact = compact;
	}

}
