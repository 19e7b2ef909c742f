package io.gracefulworker.core;

/**
 * A job leased to this worker: its id, the fencing token that owns the lease, and the stored
 * record as read at claim time (which may be unreadable).
 *
 * @param id the job id
 * @param queue the queue
 * @param token the fencing token
 * @param record the stored job record, JSON
 */
public record ClaimedJob(String id, String queue, String token, String record) {

	@Override
	public String toString() {
		return "ClaimedJob[id=" + this.id + ", queue=" + this.queue + "]";
	}

}
