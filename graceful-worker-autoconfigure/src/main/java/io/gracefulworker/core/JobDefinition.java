package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.Recurring.Overlap;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.util.ClassUtils;

/**
 * A discovered {@link io.gracefulworker.Job @Job} method: its name, queue, attempts, and how to
 * read its arguments.
 *
 * @param name the job name
 * @param queue the queue
 * @param maxAttempts the attempts before the dead set
 * @param beanNames the beans that define the method, to invoke through
 * @param method the method
 * @param argumentTypes the declared types of the stored arguments (without the context)
 * @param contextIndex the index of the {@link JobContext} parameter, or -1
 */
public record JobDefinition(String name, String queue, int maxAttempts, List<String> beanNames, Method method,
		List<JavaType> argumentTypes, int contextIndex) {

	/**
	 * Returns the bean a job runs on.
	 * @param requested the bean the job names, or {@code null}
	 * @return the requested bean if it defines the job, the only bean if the job names none and
	 * one bean defines it, else empty
	 */
	public Optional<String> beanFor(@Nullable String requested) {
		if (requested != null) {
			return this.beanNames.contains(requested) ? Optional.of(requested) : Optional.empty();
		}
		return (this.beanNames.size() == 1) ? Optional.of(this.beanNames.get(0)) : Optional.empty();
	}

	/**
	 * Returns how arguments given at an enqueue do not fit this job's parameters, by their
	 * types only: a value that cannot be the declared type would make the job unreadable when
	 * it runs. Numbers fit any number parameter they convert to without losing a fraction.
	 * @param arguments the arguments, without the context
	 * @return the first misfit, naming its position and types, never its value
	 */
	public Optional<String> mismatch(List<?> arguments) {
		for (int i = 0; i < arguments.size() && i < this.argumentTypes.size(); i++) {
			Object value = arguments.get(i);
			Class<?> declared = this.argumentTypes.get(i).getRawClass();
			if (value == null) {
				if (declared.isPrimitive()) {
					return Optional.of("argument " + i + " is null, but " + describe() + " takes a "
							+ declared.getSimpleName() + " there");
				}
				continue;
			}
			if (!fits(ClassUtils.resolvePrimitiveIfNecessary(declared), value)) {
				return Optional.of("argument " + i + " is a " + value.getClass().getSimpleName() + ", but " + describe()
						+ " takes a " + declared.getSimpleName() + " there");
			}
		}
		return Optional.empty();
	}

	private static boolean fits(Class<?> declared, Object value) {
		if (declared.isInstance(value)) {
			return true;
		}
		if (value instanceof Number && Number.class.isAssignableFrom(declared)) {
			boolean fraction = value instanceof Double || value instanceof Float || value instanceof BigDecimal;
			boolean integral = declared == Long.class || declared == Integer.class || declared == Short.class
					|| declared == Byte.class || declared == BigInteger.class;
			return !(fraction && integral);
		}
		return false;
	}

	/**
	 * Returns a cron schedule of this job.
	 * @param cron the cron expression
	 * @param zone the zone it is read in
	 * @param missedTicks what happens to ticks missed while no worker ran
	 * @param overlap whether a tick fires while the previous job has not ended
	 * @return the schedule
	 * @throws IllegalArgumentException if the job takes arguments or the expression cannot be
	 * read
	 */
	public RecurringSchedule schedule(String cron, ZoneId zone, MissedTicks missedTicks, Overlap overlap) {
		if (!this.argumentTypes.isEmpty()) {
			throw new IllegalArgumentException("it takes arguments; a scheduled job takes none, or only a JobContext");
		}
		return new RecurringSchedule(this.name, this.queue, cron, zone, missedTicks, overlap, this.maxAttempts);
	}

	/**
	 * Returns the name of a job method: the annotation's, or {@code SimpleClassName.methodName}.
	 * @param method the method
	 * @param job its annotation
	 * @return the job name
	 */
	static String nameOf(Method method, Job job) {
		return job.name().isEmpty() ? method.getDeclaringClass().getSimpleName() + "." + method.getName() : job.name();
	}

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
