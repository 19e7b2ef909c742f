package io.gracefulworker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Stores jobs in Redis for a worker to run; the explicit counterpart of calling a {@link Job}
 * method through its bean.
 */
public interface JobClient {

	/**
	 * Enqueues the named job to run as soon as a worker is free.
	 * @param name the job name
	 * @param arguments the job's arguments, without the {@link JobContext}
	 * @return the id of the stored job
	 */
	default JobId enqueue(String name, Object... arguments) {
		return enqueue(JobRequest.of(name, arguments));
	}

	/**
	 * Enqueues a {@link Job @Job} method without arguments, named by a method reference.
	 * @param <T> the bean's type
	 * @param method the method, such as {@code Reports::nightly}
	 * @return the id of the stored job
	 */
	default <T> JobId enqueue(JobMethod.Zero<T> method) {
		return enqueue(JobRequest.of(method));
	}

	/**
	 * Enqueues a {@link Job @Job} method named by a method reference, its argument checked by
	 * the compiler: {@code enqueue(Reports::render, request)}.
	 * @param <T> the bean's type
	 * @param <A> the argument's type
	 * @param method the method
	 * @param a the argument ({@code null} for a {@link JobContext})
	 * @return the id of the stored job
	 */
	default <T, A> JobId enqueue(JobMethod.One<T, A> method, @Nullable A a) {
		return enqueue(JobRequest.of(method, a));
	}

	/**
	 * Enqueues a {@link Job @Job} method named by a method reference, its arguments checked by
	 * the compiler.
	 * @param <T> the bean's type
	 * @param <A> the first argument's type
	 * @param <B> the second argument's type
	 * @param method the method
	 * @param a the first argument
	 * @param b the second argument
	 * @return the id of the stored job
	 */
	default <T, A, B> JobId enqueue(JobMethod.Two<T, A, B> method, @Nullable A a, @Nullable B b) {
		return enqueue(JobRequest.of(method, a, b));
	}

	/**
	 * Enqueues a {@link Job @Job} method named by a method reference, its arguments checked by
	 * the compiler.
	 * @param <T> the bean's type
	 * @param <A> the first argument's type
	 * @param <B> the second argument's type
	 * @param <C> the third argument's type
	 * @param method the method
	 * @param a the first argument
	 * @param b the second argument
	 * @param c the third argument
	 * @return the id of the stored job
	 */
	default <T, A, B, C> JobId enqueue(JobMethod.Three<T, A, B, C> method, @Nullable A a, @Nullable B b,
			@Nullable C c) {
		return enqueue(JobRequest.of(method, a, b, c));
	}

	/**
	 * Enqueues the named job to run at the given time (Redis's clock decides when it is due).
	 * @param name the job name
	 * @param runAt when the job should run
	 * @param arguments the job's arguments
	 * @return the id of the stored job
	 */
	default JobId schedule(String name, Instant runAt, Object... arguments) {
		return enqueue(JobRequest.of(name, arguments).runAt(runAt));
	}

	/**
	 * Enqueues the named job to run after the given delay.
	 * @param name the job name
	 * @param delay how long from now
	 * @param arguments the job's arguments
	 * @return the id of the stored job
	 */
	default JobId schedule(String name, Duration delay, Object... arguments) {
		return enqueue(JobRequest.of(name, arguments).delay(delay));
	}

	/**
	 * Enqueues a job with options.
	 * @param request the request
	 * @return the id of the stored job, or of the existing job with the same idempotency key
	 * @throws JobNotStoredException if the store refused the job (Redis out of memory)
	 */
	JobId enqueue(JobRequest request);

	/**
	 * Enqueues many jobs in few round trips: each queue's jobs go to Redis a thousand to a
	 * script. Every request is checked before any job is stored. Each job is stored whole or
	 * not at all; when an exception ends the call, the jobs of earlier round trips may be
	 * stored, so give the jobs idempotency keys to retry the whole call safely.
	 * @param requests the requests
	 * @return the ids of the stored jobs (or of existing jobs with the same idempotency keys), in
	 * the order of the requests
	 * @throws JobNotStoredException if the store refused jobs (Redis out of memory, without
	 * enough replicas)
	 */
	default List<JobId> enqueueAll(List<JobRequest> requests) {
		List<JobId> ids = new ArrayList<>(requests.size());
		for (JobRequest request : requests) {
			ids.add(enqueue(request));
		}
		return ids;
	}

}
