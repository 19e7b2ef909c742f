package io.gracefulworker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a durable background job: a call through the bean is stored in Redis
 * and returns at once, and a worker later runs the method through the same bean.
 *
 * <p>The method must return {@code void}; its parameters are written as JSON and read back with
 * their declared types. A {@link JobContext} parameter is optional and is supplied by the worker
 * (pass {@code null} when calling).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Job {

	/**
	 * The job's name, stored with each queued call. Defaults to
	 * {@code SimpleClassName.methodName}; an explicit name keeps queued jobs valid across
	 * refactors.
	 * @return the job name
	 */
	String name() default "";

	/**
	 * The queue the job is stored in. Defaults to {@code graceful-worker.default-queue}.
	 * @return the queue name
	 */
	String queue() default "";

	/**
	 * How many attempts the job gets before it goes to the dead set. Defaults to
	 * {@code graceful-worker.retry.max-attempts}.
	 * @return the maximum number of attempts, or {@code 0} for the default
	 */
	int maxAttempts() default 0;

}
