package io.gracefulworker.core;

import java.time.Instant;
import java.util.Optional;

import io.gracefulworker.JobContext;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobContext} of a job run by an {@link InlineJobRunner}: never stopping or
 * cancelled, its checkpoints kept in memory as JSON for the run.
 */
final class InlineJobContext extends RecordJobContext {

	private final JobCodec codec;

	private @Nullable String checkpoint;

	InlineJobContext(JobRecord record, JobCodec codec) {
		super(record);
		this.codec = codec;
		this.checkpoint = record.checkpoint();
	}

	@Override
	public boolean isStopping() {
		return false;
	}

	@Override
	public Optional<Instant> deadline() {
		return Optional.empty();
	}

	@Override
	public void onStopping(Runnable callback) {
	}

	@Override
	public void checkpoint(Object progress) {
		this.checkpoint = this.codec.writeCheckpoint(progress);
	}

	@Override
	public <T> Optional<T> checkpoint(Class<T> type) {
		String current = this.checkpoint;
		return (current != null) ? Optional.of(this.codec.readCheckpoint(current, type)) : Optional.empty();
	}

}
