package io.gracefulworker.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import io.gracefulworker.Worker;
import io.gracefulworker.WorkerState;
import io.gracefulworker.WorkerStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;

/**
 * The worker's state and since when it holds: {@code STARTING -> RUNNING <-> PAUSED -> DRAINING
 * -> STOPPED}, each change published as a {@link WorkerStateChangedEvent} and signalled to the
 * worker's loops.
 */
final class WorkerStateMachine {

	private static final Log logger = LogFactory.getLog(WorkerStateMachine.class);

	private static final Set<WorkerState> ACTIVE = EnumSet.of(WorkerState.RUNNING, WorkerState.PAUSED,
			WorkerState.DRAINING);

	private final Worker source;

	private final @Nullable ApplicationEventPublisher events;

	private final WorkerSignal signal;

	private volatile WorkerState state = WorkerState.STARTING;

	private volatile Instant since = Instant.now();

	WorkerStateMachine(Worker source, @Nullable ApplicationEventPublisher events, WorkerSignal signal) {
		this.source = source;
		this.events = events;
		this.signal = signal;
	}

	WorkerState state() {
		return this.state;
	}

	Instant since() {
		return this.since;
	}

	boolean is(WorkerState expected) {
		return this.state == expected;
	}

	/**
	 * Returns whether the worker runs jobs or drains them: running, paused or draining.
	 * @return whether the worker is active
	 */
	boolean isActive() {
		return ACTIVE.contains(this.state);
	}

	/**
	 * Moves to the next state if the current one is one of the given.
	 * @param next the next state
	 * @param from the states the move is allowed from
	 * @return whether the worker is in the next state now
	 */
	synchronized boolean moveTo(WorkerState next, WorkerState... from) {
		if (this.state == next) {
			return true;
		}
		for (WorkerState allowed : from) {
			if (this.state == allowed) {
				move(next);
				return true;
			}
		}
		return false;
	}

	/**
	 * Moves to the next state from whichever state the worker is in.
	 * @param next the next state
	 */
	synchronized void moveTo(WorkerState next) {
		if (this.state != next) {
			move(next);
		}
	}

	private void move(WorkerState next) {
		WorkerState previous = this.state;
		this.state = next;
		this.since = Instant.now();
		this.signal.changed();
		if (this.events != null) {
			try {
				this.events.publishEvent(new WorkerStateChangedEvent(this.source, previous, next));
			}
			catch (RuntimeException ex) {
				logger.debug("Could not publish worker state change", ex);
			}
		}
	}

}
