package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.gracefulworker.Job;
import io.gracefulworker.JobClient;
import io.gracefulworker.Recurring;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Discovers {@link Job @Job} methods, registers them in the {@link JobRegistry} (which fails
 * the startup for an invalid one), and proxies their beans so that a call enqueues the job.
 */
public class JobAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final Log logger = LogFactory.getLog(JobAnnotationBeanPostProcessor.class);

	private final Supplier<JobRegistry> registry;

	private final JobMethodInterceptor interceptor;

	private final Set<Method> checkedForSelfInvocation = ConcurrentHashMap.newKeySet();

	public JobAnnotationBeanPostProcessor(Supplier<JobRegistry> registry, Supplier<JobClient> client) {
		this.registry = registry;
		this.interceptor = new JobMethodInterceptor(registry, client);
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Job.class, true),
				this.interceptor);
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
	}

	private void warnAboutSelfInvocation(Class<?> targetClass, JobDefinition definition) {
		if (!this.checkedForSelfInvocation.add(definition.method())) {
			return;
		}
		Set<String> callers = SelfInvocations.callers(targetClass, definition.method());
		if (!callers.isEmpty()) {
			logger.warn(callers + " call the job method " + definition.describe() + " of their own class: such a"
					+ " call on 'this' bypasses the bean's proxy, so the job runs at once on the caller's thread and"
					+ " nothing is stored. Call it through the bean (inject it) or enqueue it with JobClient.");
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
		Map<Method, Job> jobs = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<Job>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						Job.class));
		if (jobs.isEmpty()) {
			return bean;
		}
		JobRegistry registry = this.registry.get();
		jobs.forEach((method, job) -> {
			JobDefinition definition = registry.register(beanName, method, job);
			Recurring recurring = AnnotatedElementUtils.findMergedAnnotation(method, Recurring.class);
			if (recurring != null) {
				registry.registerSchedule(definition, recurring);
			}
			warnAboutSelfInvocation(targetClass, definition);
		});
		this.interceptor.beanCreated(bean, beanName);
		return super.postProcessAfterInitialization(bean, beanName);
	}

}
