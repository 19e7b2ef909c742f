package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobRequest;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;

/**
 * Turns a call of a {@link io.gracefulworker.Job @Job} method through its bean into an enqueue,
 * and lets the worker's own call through to the method (and any other advice on it).
 */
class JobMethodInterceptor implements MethodInterceptor {

	private final Supplier<JobRegistry> registry;

	private final Supplier<JobClient> client;

	private final Map<Object, String> beanNames = Collections.synchronizedMap(new IdentityHashMap<>());

	JobMethodInterceptor(Supplier<JobRegistry> registry, Supplier<JobClient> client) {
		this.registry = registry;
		this.client = client;
	}

	/**
	 * Remembers the name of a bean with job methods, so that a call on it runs on it.
	 * @param bean the bean, or a proxy of it
	 * @param beanName its name
	 */
	void beanCreated(Object bean, String beanName) {
		for (Object candidate = bean; candidate != null; candidate = AopProxyUtils.getSingletonTarget(candidate)) {
			this.beanNames.put(candidate, beanName);
		}
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Method method = invocation.getMethod();
		if (target != null) {
			method = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, target.getClass()));
		}
		if (JobInvocation.consume(method)) {
			return invocation.proceed();
		}
		Optional<JobDefinition> definition = this.registry.get().find(method);
		if (definition.isEmpty()) {
			return invocation.proceed();
		}
		JobDefinition job = definition.get();
		Object[] arguments = invocation.getArguments();
		List<Object> stored = new ArrayList<>(arguments.length);
		for (int i = 0; i < arguments.length; i++) {
			if (i != job.contextIndex()) {
				stored.add(arguments[i]);
			}
		}
		JobRequest request = JobRequest.of(job.name(), stored.toArray());
		String beanName = (target != null) ? this.beanNames.get(target) : null;
		this.client.get().enqueue((beanName != null) ? request.bean(beanName) : request);
		return null;
	}

}
