package io.gracefulworker;

import java.time.Duration;
import java.time.Instant;

/**
 * The worker that claims jobs from Redis and runs them, and drains gracefully when it stops.
 */
public interface Worker {

	/**
	 * Returns the worker's current state.
	 * @return the state
	 */
	WorkerState state();

	/**
	 * Returns when the worker entered its current state.
	 * @return the time of the last transition
	 */
	Instant since();

	/**
	 * Returns this worker's identifier, unique across processes.
	 * @return the worker id
	 */
	String id();

	/**
	 * Stops claiming new jobs; running jobs go on. Does nothing unless running.
	 * @return whether the worker is paused now
	 */
	boolean pause();

	/**
	 * Claims jobs again after {@link #pause()}. Does nothing unless paused.
	 * @return whether the worker is running now
	 */
	boolean resume();

	/**
	 * Starts the worker; a stopped worker may be started again.
	 */
	void start();

	/**
	 * Drains the worker as on shutdown and waits for it to stop, at most for the given time.
	 * @param timeout how long to wait
	 * @return {@code true} if the worker stopped within the time, {@code false} if it is still
	 * draining
	 */
	boolean stop(Duration timeout);

}
