package io.gracefulworker.core;

import java.time.Instant;
import java.util.Optional;

import io.gracefulworker.JobContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobContext} of one execution.
 */
final class DefaultJobContext extends RecordJobContext {

	private final JobExecution execution;

	private final CurrentDrain drain;

	private final JobCheckpoints checkpoints;

	private volatile @Nullable String checkpoint;

	DefaultJobContext(JobRecord record, JobExecution execution, CurrentDrain drain, JobCheckpoints checkpoints) {
		super(record);
		this.execution = execution;
		this.drain = drain;
		this.checkpoints = checkpoints;
		this.checkpoint = record.checkpoint();
	}

	@Override
	public boolean isStopping() {
		return this.drain.isStopping();
	}

	@Override
	public boolean isCancelled() {
		return this.execution.cancelRequested();
	}

	@Override
	public Optional<Instant> deadline() {
		return this.drain.deadline();
	}

	@Override
	public void onStopping(Runnable callback) {
		this.execution.onStopping(callback, this.drain::isStopping);
	}

	@Override
	public void checkpoint(Object progress) {
		this.checkpoint = this.checkpoints.save(this.execution.job, progress);
	}

	@Override
	public <T> Optional<T> checkpoint(Class<T> type) {
		String current = this.checkpoint;
		return (current != null) ? Optional.of(this.checkpoints.read(current, type)) : Optional.empty();
	}

}
