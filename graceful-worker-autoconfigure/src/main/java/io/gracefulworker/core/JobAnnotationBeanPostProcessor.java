package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Supplier;

import io.gracefulworker.Job;
import io.gracefulworker.JobClient;

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

	private final Supplier<JobRegistry> registry;

	private final JobMethodInterceptor interceptor;

	public JobAnnotationBeanPostProcessor(Supplier<JobRegistry> registry, Supplier<JobClient> client) {
		this.registry = registry;
		this.interceptor = new JobMethodInterceptor(registry, client);
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Job.class, true),
				this.interceptor);
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
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
		jobs.forEach((method, job) -> registry.register(beanName, method, job));
		this.interceptor.beanCreated(bean, beanName);
		return super.postProcessAfterInitialization(bean, beanName);
	}

}
