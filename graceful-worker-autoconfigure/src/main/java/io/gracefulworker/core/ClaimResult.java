package io.gracefulworker.core;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The result of {@link JobQueue#claim}.
 *
 * @param jobs the jobs now leased to the caller
 * @param nextDue how long until the next scheduled job is due, or {@code null} if none
 * @param registered whether the claim registered the worker for a hand-off
 * @param handOffUnderWay whether a hand-off took the pending registration, so that its job
 * is on its way to the worker and the claim left a slot for it
 */
public record ClaimResult(List<ClaimedJob> jobs, @Nullable Duration nextDue, boolean registered,
		boolean handOffUnderWay) {

	/**
	 * A claim that neither registered nor found a hand-off under way.
	 * @param jobs the jobs now leased to the caller
	 * @param nextDue how long until the next scheduled job is due, or {@code null} if none
	 */
	public ClaimResult(List<ClaimedJob> jobs, @Nullable Duration nextDue) {
		this(jobs, nextDue, false, false);
	}

}
