package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.time.Instant;

import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;

/**
 * A {@link Worker} a user defines in place of the library's: it knows its id and state only.
 */
class UserWorker implements Worker {

	private final String id;

	private volatile WorkerState state;

	UserWorker(String id, WorkerState state) {
		this.id = id;
		this.state = state;
	}

	@Override
	public WorkerState state() {
		return this.state;
	}

	@Override
	public Instant since() {
		return Instant.EPOCH;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public boolean pause() {
		this.state = WorkerState.PAUSED;
		return true;
	}

	@Override
	public boolean resume() {
		this.state = WorkerState.RUNNING;
		return true;
	}

	@Override
	public void start() {
	}

	@Override
	public boolean stop(Duration timeout) {
		return true;
	}

}
