package io.gracefulworker.autoconfigure;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Advice on {@link Audited} methods that records each call reaching it, as
 * {@code @Transactional} would start a transaction.
 */
public class AuditAdvice implements MethodInterceptor {

	public static final Queue<String> calls = new ConcurrentLinkedQueue<>();

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		calls.add(invocation.getMethod().getName() + " on " + Thread.currentThread().getName());
		return invocation.proceed();
	}

}
