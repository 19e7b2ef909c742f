package io.gracefulworker.core;

/**
 * The parts of a worker that live as long as the worker, across restarts: what a
 * {@link WorkerRun} builds its parts from.
 *
 * @param settings the settings
 * @param queue the job queue
 * @param signal what the loops wait on
 * @param state the state machine
 * @param slots the job slots
 * @param store the contact with the job queue's store
 * @param counters the totals
 * @param drain the drain under way or last run
 */
record WorkerParts(WorkerSettings settings, JobQueue queue, WorkerSignal signal, WorkerStateMachine state,
		WorkerSlots slots, StoreContact store, WorkerCounters counters, CurrentDrain drain) {
}
