package io.gracefulworker;

import java.io.Serializable;

/**
 * A reference to a {@link Job @Job} method, such as {@code Reports::render}, for
 * {@link JobClient#enqueue(JobMethod.One, Object)} and {@link JobRequest#of(JobMethod.One, Object)}:
 * the compiler checks the arguments against the method's parameters, and renaming the method
 * breaks the build instead of a job in production. A {@link JobContext} parameter takes
 * {@code null}, as in a call through the bean.
 */
public interface JobMethod extends Serializable {

	/**
	 * A job method without arguments.
	 * @param <T> the bean's type
	 */
	@FunctionalInterface
	interface Zero<T> extends JobMethod {

		void call(T bean) throws Exception;

	}

	/**
	 * A job method of one argument.
	 * @param <T> the bean's type
	 * @param <A> the argument's type
	 */
	@FunctionalInterface
	interface One<T, A> extends JobMethod {

		void call(T bean, A a) throws Exception;

	}

	/**
	 * A job method of two arguments.
	 * @param <T> the bean's type
	 * @param <A> the first argument's type
	 * @param <B> the second argument's type
	 */
	@FunctionalInterface
	interface Two<T, A, B> extends JobMethod {

		void call(T bean, A a, B b) throws Exception;

	}

	/**
	 * A job method of three arguments.
	 * @param <T> the bean's type
	 * @param <A> the first argument's type
	 * @param <B> the second argument's type
	 * @param <C> the third argument's type
	 */
	@FunctionalInterface
	interface Three<T, A, B, C> extends JobMethod {

		void call(T bean, A a, B b, C c) throws Exception;

	}

}
