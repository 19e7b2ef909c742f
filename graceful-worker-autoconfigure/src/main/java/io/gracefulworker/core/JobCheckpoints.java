package io.gracefulworker.core;

/**
 * Saves and reads a running job's progress: encoded by the {@link JobCodec}, stored with the job
 * by the {@link JobQueue} only while this worker still owns its lease.
 */
final class JobCheckpoints {

	private final JobCodec codec;

	private final JobQueue queue;

	JobCheckpoints(JobCodec codec, JobQueue queue) {
		this.codec = codec;
		this.queue = queue;
	}

	/**
	 * Saves the progress of a leased job.
	 * @param job the job
	 * @param progress the progress
	 * @return the progress as stored
	 * @throws IllegalStateException if the job is no longer leased to this worker
	 */
	String save(ClaimedJob job, Object progress) {
		String json = this.codec.writeCheckpoint(progress);
		if (!this.queue.checkpoint(job, json)) {
			throw new IllegalStateException(
					"Job " + job.id() + " is no longer leased to this worker; its checkpoint was not saved");
		}
		return json;
	}

	<T> T read(String stored, Class<T> type) {
		return this.codec.readCheckpoint(stored, type);
	}

}
