package io.gracefulworker.core;

import java.util.function.Supplier;

/**
 * Wraps each enqueue and each job execution, so that tracing (a Micrometer Observation) spans
 * them.
 */
public interface JobObservation {

	/** Observes nothing. */
	JobObservation NONE = new JobObservation() {
	};

	/**
	 * Wraps an enqueue.
	 * @param job the job being stored
	 * @param enqueue the enqueue
	 * @return the stored id
	 */
	default String enqueue(NewJob job, Supplier<String> enqueue) {
		return enqueue.get();
	}

	/**
	 * Wraps an execution.
	 * @param record the job
	 * @param execution the execution
	 * @throws Throwable what the job threw
	 */
	default void execute(JobRecord record, Execution execution) throws Throwable {
		execution.proceed();
	}

	/**
	 * One execution of a job method.
	 */
	@FunctionalInterface
	interface Execution {

		void proceed() throws Throwable;

	}

}
