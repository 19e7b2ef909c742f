package io.gracefulworker.core;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

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
	 * @param enqueue stores the job with the W3C {@code traceparent} it is given (or
	 * {@code null}), so that the execution continues the enqueue's trace
	 * @return the stored id
	 */
	default String enqueue(NewJob job, Function<@Nullable String, String> enqueue) {
		return enqueue.apply(null);
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
