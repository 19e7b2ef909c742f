package io.gracefulworker.core;

import org.jspecify.annotations.Nullable;

/**
 * A job leased to this worker: its id, the fencing token that owns the lease, and the stored
 * job as read at claim time, or why it could not be read.
 *
 * @param id the job id
 * @param queue the queue
 * @param token the fencing token
 * @param record the stored job, or {@code null} if it could not be read
 * @param unreadable why the stored job could not be read, or {@code null} if it could
 */
public record ClaimedJob(String id, String queue, String token, @Nullable JobRecord record,
		@Nullable String unreadable) {

	/**
	 * Returns a claimed job whose stored record was read.
	 * @param token the fencing token
	 * @param record the record
	 * @return the claimed job
	 */
	public static ClaimedJob of(String token, JobRecord record) {
		return new ClaimedJob(record.id(), record.queue(), token, record, null);
	}

	/**
	 * Returns a claimed job whose stored record could not be read.
	 * @param id the job id
	 * @param queue the queue
	 * @param token the fencing token
	 * @param reason why the record could not be read
	 * @return the claimed job
	 */
	public static ClaimedJob unreadable(String id, String queue, String token, String reason) {
		return new ClaimedJob(id, queue, token, null, reason);
	}

	/**
	 * Returns the same claim owned by another token, as a stale or foreign owner would hold it.
	 * @param otherToken the token
	 * @return the claimed job with that token
	 */
	public ClaimedJob withToken(String otherToken) {
		return new ClaimedJob(this.id, this.queue, otherToken, this.record, this.unreadable);
	}

	@Override
	public String toString() {
		return "ClaimedJob[id=" + this.id + ", queue=" + this.queue + "]";
	}

}
