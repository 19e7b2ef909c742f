package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.util.List;

import io.gracefulworker.JobContext;
import tools.jackson.databind.JavaType;

/**
 * A discovered {@link io.gracefulworker.Job @Job} method: its name, queue, attempts, and how to
 * read its arguments.
 *
 * @param name the job name
 * @param queue the queue
 * @param maxAttempts the attempts before the dead set
 * @param beanName the bean to invoke through
 * @param method the method
 * @param argumentTypes the declared types of the stored arguments (without the context)
 * @param contextIndex the index of the {@link JobContext} parameter, or -1
 */
public record JobDefinition(String name, String queue, int maxAttempts, String beanName, Method method,
		List<JavaType> argumentTypes, int contextIndex) {

	/**
	 * Returns a readable description of the method, for messages.
	 * @return {@code Class.method(Params)}
	 */
	public String describe() {
		return describe(this.method);
	}

	static String describe(Method method) {
		StringBuilder builder = new StringBuilder(method.getDeclaringClass().getName()).append('.')
			.append(method.getName())
			.append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			builder.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return builder.append(')').toString();
	}

}
