package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import io.gracefulworker.Recurring;
import tools.jackson.databind.JavaType;

/**
 * The {@link Job @Job} methods of the application, by name and by method, and their
 * {@link Recurring @Recurring} schedules, validated when they are registered.
 */
public class JobRegistry {

	private final Map<String, RecurringSchedule> schedules = new ConcurrentHashMap<>();

	private final Map<String, JobDefinition> byName = new ConcurrentHashMap<>();

	private final Map<Method, JobDefinition> byMethod = new ConcurrentHashMap<>();

	private final JobCodec codec;

	private final String defaultQueue;

	private final int defaultMaxAttempts;

	public JobRegistry(JobCodec codec, String defaultQueue, int defaultMaxAttempts) {
		this.codec = codec;
		this.defaultQueue = defaultQueue;
		this.defaultMaxAttempts = defaultMaxAttempts;
	}

	/**
	 * Validates and registers a {@code @Job} method.
	 * @param beanName the bean the method is invoked through
	 * @param method the method
	 * @param job its annotation
	 * @return the definition
	 * @throws IllegalStateException naming the method if it cannot be a job
	 */
	public JobDefinition register(String beanName, Method method, Job job) {
		String described = JobDefinition.describe(method);
		if (method.getReturnType() != void.class) {
			throw invalid(described, "it returns " + method.getReturnType().getSimpleName()
					+ "; a job runs later, so it must return void");
		}
		int modifiers = method.getModifiers();
		if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers) || Modifier.isFinal(modifiers)) {
			throw invalid(described, "it is static, private or final; a job is called through its bean's proxy");
		}
		String name = JobDefinition.nameOf(method, job);
		if (job.maxAttempts() < 0) {
			throw invalid(described, "maxAttempts must be positive");
		}
		Type[] parameterTypes = method.getGenericParameterTypes();
		List<JavaType> argumentTypes = new ArrayList<>();
		int contextIndex = -1;
		for (int i = 0; i < parameterTypes.length; i++) {
			if (method.getParameterTypes()[i] == JobContext.class) {
				if (contextIndex >= 0) {
					throw invalid(described, "it takes more than one JobContext");
				}
				contextIndex = i;
				continue;
			}
			int index = i;
			this.codec.unsupportedReason(parameterTypes[i]).ifPresent((reason) -> {
				throw invalid(described, "parameter " + index + " cannot be stored as JSON: " + reason);
			});
			argumentTypes.add(this.codec.constructType(parameterTypes[i]));
		}
		String queue = job.queue().isEmpty() ? this.defaultQueue : job.queue();
		int maxAttempts = (job.maxAttempts() > 0) ? job.maxAttempts() : this.defaultMaxAttempts;
		JobDefinition candidate = new JobDefinition(name, queue, maxAttempts, List.of(beanName), method,
				List.copyOf(argumentTypes), contextIndex);
		JobDefinition definition = this.byName.compute(name, (key, existing) -> {
			if (existing == null) {
				return candidate;
			}
			if (!existing.method().equals(method)) {
				throw invalid(described, "the job name '" + name + "' is already used by " + existing.describe()
						+ "; give one of them another @Job(name = ...)");
			}
			if (existing.beanNames().contains(beanName)) {
				return existing;
			}
			// Two beans of one class: each call runs on the bean it was made on.
			List<String> beans = new ArrayList<>(existing.beanNames());
			beans.add(beanName);
			return new JobDefinition(name, queue, maxAttempts, List.copyOf(beans), method, existing.argumentTypes(),
					existing.contextIndex());
		});
		this.byMethod.put(method, definition);
		return definition;
	}

	/**
	 * Validates and registers the cron schedule of a {@code @Job} method.
	 * @param definition the job
	 * @param recurring its schedule
	 * @return the schedule
	 * @throws IllegalStateException naming the method if it cannot be scheduled
	 */
	public RecurringSchedule registerSchedule(JobDefinition definition, Recurring recurring) {
		RecurringSchedule schedule;
		try {
			schedule = definition.schedule(recurring.cron(), ZoneId.of(recurring.zone()), recurring.missedTicks(),
					recurring.overlap());
		}
		catch (IllegalArgumentException | DateTimeException ex) {
			throw invalid(definition.describe(), "its @Recurring(cron = \"" + recurring.cron() + "\", zone = \""
					+ recurring.zone() + "\") cannot be used: " + ex.getMessage());
		}
		this.schedules.put(definition.name(), schedule);
		return schedule;
	}

	/**
	 * Returns the cron schedules declared by {@code @Recurring}, by job name.
	 * @return the schedules
	 */
	public Map<String, RecurringSchedule> schedules() {
		return Collections.unmodifiableMap(this.schedules);
	}

	public Optional<JobDefinition> find(String name) {
		return Optional.ofNullable(this.byName.get(name));
	}

	public Optional<JobDefinition> find(Method method) {
		return Optional.ofNullable(this.byMethod.get(method));
	}

	public Collection<JobDefinition> definitions() {
		return this.byName.values();
	}

	public String defaultQueue() {
		return this.defaultQueue;
	}

	public int defaultMaxAttempts() {
		return this.defaultMaxAttempts;
	}

	private static IllegalStateException invalid(String method, String reason) {
		return new IllegalStateException("@Job method " + method + " is invalid: " + reason);
	}

}
