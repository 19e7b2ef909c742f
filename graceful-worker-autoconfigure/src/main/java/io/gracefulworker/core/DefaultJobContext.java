package io.gracefulworker.core;

import java.time.Instant;
import java.util.Optional;

import io.gracefulworker.JobContext;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequeueException;

/**
 * The {@link JobContext} of one execution.
 */
final class DefaultJobContext implements JobContext {

	private final GracefulWorker worker;

	private final JobExecution execution;

	private final JobRecord record;

	private volatile String checkpoint;

	DefaultJobContext(GracefulWorker worker, JobExecution execution, JobRecord record) {
		this.worker = worker;
		this.execution = execution;
		this.record = record;
		this.checkpoint = record.checkpoint();
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
	public boolean isStopping() {
		return this.worker.isStopping();
	}

	@Override
	public Optional<Instant> deadline() {
		return this.worker.drainDeadline();
	}

	@Override
	public void onStopping(Runnable callback) {
		this.execution.stoppingCallbacks.add(callback);
		if (this.worker.isStopping() && this.execution.stoppingCallbacks.remove(callback)) {
			callback.run();
		}
	}

	@Override
	public void checkpoint(Object progress) {
		String json = this.worker.codec().writeCheckpoint(progress);
		if (!this.worker.queue().checkpoint(this.execution.job, json)) {
			throw new IllegalStateException("Job " + this.record.id()
					+ " is no longer leased to this worker; its checkpoint was not saved");
		}
		this.checkpoint = json;
	}

	@Override
	public <T> Optional<T> checkpoint(Class<T> type) {
		String current = this.checkpoint;
		return (current != null) ? Optional.of(this.worker.codec().readCheckpoint(current, type)) : Optional.empty();
	}

	@Override
	public void requeue() {
		throw new JobRequeueException();
	}

}
