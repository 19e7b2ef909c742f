package io.gracefulworker.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;

/**
 * Marks the worker's own call of a job method on the current thread, so that the enqueueing
 * interceptor lets that one call through instead of enqueueing it again.
 */
final class JobInvocation {

	private static final ThreadLocal<@Nullable Method> WORKER_CALL = new ThreadLocal<>();

	private JobInvocation() {
	}

	/**
	 * Calls a job method on its bean as the worker's own call, so the interceptor lets it through.
	 * @throws Throwable what the method threw
	 */
	static void call(Object bean, Method method, Object[] arguments) throws Throwable {
		ReflectionUtils.makeAccessible(method);
		WORKER_CALL.set(method);
		try {
			method.invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
		finally {
			WORKER_CALL.remove();
		}
	}

	/**
	 * Returns whether this call is the worker's, and forgets the mark so that nested calls of
	 * job methods from inside the job are enqueued.
	 */
	static boolean consume(Method method) {
		Method expected = WORKER_CALL.get();
		if (expected != null && expected.equals(method)) {
			WORKER_CALL.remove();
			return true;
		}
		return false;
	}

}
