package io.gracefulworker.core;

import io.gracefulworker.JobContext;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequeueException;

/**
 * The part of a {@link JobContext} that its job's record answers: identity and attempts, and the
 * requeue that every execution ends the same way.
 */
abstract class RecordJobContext implements JobContext {

	private final JobRecord record;

	RecordJobContext(JobRecord record) {
		this.record = record;
	}

	@Override
	public JobId id() {
		return new JobId(this.record.id());
	}

	@Override
	public String name() {
		return this.record.name();
	}

	@Override
	public String queue() {
		return this.record.queue();
	}

	@Override
	public int attempt() {
		return this.record.attempt();
	}

	@Override
	public int maxAttempts() {
		return this.record.maxAttempts();
	}

	@Override
	public void requeue() {
		throw new JobRequeueException();
	}

}
