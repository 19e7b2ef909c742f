package io.gracefulworker.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Decides, for {@link RedisRecordLayout#AUTO}, {@link RedisLeaseLayout#AUTO} and
 * {@link RedisOutcomeLayout#AUTO}, whether new records are written compact, new leases kept per
 * worker and new outcomes indexed in lists: each only while the fleet registry lists live
 * workers and every one of them says it reads that layout. The registry is asked at most once a
 * recheck interval, by one thread while the others go on with the last answer; an unanswered
 * question counts as no, since every build reads JSON records, leases per job and outcomes in
 * sorted sets.
 */
final class RedisFleetLayouts {

	private static final Log logger = LogFactory.getLog(RedisFleetLayouts.class);

	/** How long an answer is used before the registry is asked again, unless set. */
	static final Duration RECHECK = Duration.ofSeconds(5);

	private final RedisFleet fleet;

	private volatile long recheckNanos;

	private final AtomicBoolean asking = new AtomicBoolean();

	private volatile boolean asked;

	private volatile long askedAt;

	private volatile boolean compactRecords;

	private volatile boolean leasesPerWorker;

	private volatile boolean outcomeLists;

	RedisFleetLayouts(RedisFleet fleet) {
		this.fleet = fleet;
		this.recheckNanos = RECHECK.toNanos();
	}

	/**
	 * Sets how long an answer is used before the registry is asked again, and asks at the next
	 * question.
	 * @param recheck the interval
	 */
	void recheckEvery(Duration recheck) {
		this.recheckNanos = recheck.toNanos();
		this.asked = false;
	}

	/**
	 * Says whether a record written now may be compact.
	 * @return whether every live worker reads compact records
	 */
	boolean compactRecords() {
		askIfDue();
		return this.compactRecords;
	}

	/**
	 * Says whether a lease taken now may be kept per worker.
	 * @return whether every live worker honours leases kept per worker
	 */
	boolean leasesPerWorker() {
		askIfDue();
		return this.leasesPerWorker;
	}

	/**
	 * Says whether an outcome kept now may be indexed in its queue's outcomes list.
	 * @return whether every live worker reads outcomes kept in lists
	 */
	boolean outcomeLists() {
		askIfDue();
		return this.outcomeLists;
	}

	private void askIfDue() {
		if ((!this.asked || System.nanoTime() - this.askedAt >= this.recheckNanos)
				&& this.asking.compareAndSet(false, true)) {
			try {
				ask();
			}
			finally {
				this.asking.set(false);
			}
		}
	}

	private void ask() {
		RedisFleet.Layouts layouts = null;
		try {
			layouts = this.fleet.layouts();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not ask the fleet registry which layouts its workers read; writing JSON records,"
					+ " leases per job and outcomes in sorted sets", ex);
		}
		this.askedAt = System.nanoTime();
		this.asked = true;
		boolean compact = layouts != null && all(layouts, layouts.compactRecords());
		boolean perWorker = layouts != null && all(layouts, layouts.leasesPerWorker());
		boolean lists = layouts != null && all(layouts, layouts.outcomeLists());
		if (layouts != null) {
			report(compact != this.compactRecords, compact, layouts, layouts.compactRecords(),
					"Writing new jobs' records compact", "Writing new jobs' records as JSON", "read compact records",
					"graceful-worker.enqueue.record-layout");
			report(perWorker != this.leasesPerWorker, perWorker, layouts, layouts.leasesPerWorker(),
					"Keeping new leases per worker", "Keeping new leases per job", "honour leases kept per worker",
					"graceful-worker.worker.lease-layout");
			report(lists != this.outcomeLists, lists, layouts, layouts.outcomeLists(),
					"Keeping new outcomes' ids in lists", "Keeping new outcomes' ids in sorted sets",
					"read outcomes kept in lists", "graceful-worker.retention.outcome-layout");
		}
		this.compactRecords = compact;
		this.leasesPerWorker = perWorker;
		this.outcomeLists = lists;
	}

	private static boolean all(RedisFleet.Layouts layouts, int listing) {
		return layouts.live() > 0 && listing == layouts.live();
	}

	private static void report(boolean switched, boolean now, RedisFleet.Layouts layouts, int listing, String on,
			String off, String what, String property) {
		if (!switched) {
			return;
		}
		if (now) {
			logger.info(on + ": all " + layouts.live() + " live workers " + what + " (" + property + "=auto)");
		}
		else if (layouts.live() == 0) {
			logger.info(off + ": no worker is live in the fleet registry (" + property + "=auto)");
		}
		else {
			logger.info(off + ": " + (layouts.live() - listing) + " of " + layouts.live() + " live workers do not "
					+ what + " (workers of an earlier build) (" + property + "=auto)");
		}
	}

}
