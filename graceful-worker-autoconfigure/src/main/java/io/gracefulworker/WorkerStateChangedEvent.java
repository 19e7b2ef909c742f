package io.gracefulworker;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a {@link Worker} changes state.
 */
public class WorkerStateChangedEvent extends ApplicationEvent {

	private final WorkerState previousState;

	private final WorkerState state;

	public WorkerStateChangedEvent(Worker worker, WorkerState previousState, WorkerState state) {
		super(worker);
		this.previousState = previousState;
		this.state = state;
	}

	public Worker getWorker() {
		return (Worker) getSource();
	}

	public WorkerState getPreviousState() {
		return this.previousState;
	}

	public WorkerState getState() {
		return this.state;
	}

	@Override
	public String toString() {
		return "WorkerStateChangedEvent[" + this.previousState + " -> " + this.state + "]";
	}

}
