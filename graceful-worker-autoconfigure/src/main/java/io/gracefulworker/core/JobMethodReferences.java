package io.gracefulworker.core;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import io.gracefulworker.JobMethod;
import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Reads which {@link Job @Job} method a {@link JobMethod} reference names, from the serialized
 * form the compiler gives a method reference, once per call site.
 */
public final class JobMethodReferences {

	private static final Map<Class<?>, Resolved> resolved = new ConcurrentHashMap<>();

	private JobMethodReferences() {
	}

	/**
	 * Returns the job name of a method reference and the arguments to store, without the
	 * {@link JobContext}.
	 * @param reference the method reference
	 * @param arguments the arguments given, one per parameter of the method
	 * @return the job name and the arguments to store
	 * @throws IllegalArgumentException if the reference is not a method reference to a
	 * {@code @Job} method
	 */
	public static Call resolve(JobMethod reference, @Nullable Object[] arguments) {
		Resolved method = resolved.computeIfAbsent(reference.getClass(), (type) -> read(reference));
		List<@Nullable Object> stored = new ArrayList<>(Arrays.asList(arguments));
		if (method.contextIndex() >= 0) {
			stored.remove(method.contextIndex());
		}
		return new Call(method.name(), stored);
	}

	/**
	 * Returns the job name of a method reference.
	 * @param reference the method reference
	 * @return the job name
	 * @throws IllegalArgumentException if the reference is not a method reference to a
	 * {@code @Job} method
	 */
	public static String name(JobMethod reference) {
		return resolved.computeIfAbsent(reference.getClass(), (type) -> read(reference)).name();
	}

	private static Resolved read(JobMethod reference) {
		SerializedLambda lambda = serialized(reference);
		int kind = lambda.getImplMethodKind();
		if (kind != MethodHandleInfo.REF_invokeVirtual && kind != MethodHandleInfo.REF_invokeInterface) {
			throw new IllegalArgumentException("Give a method reference to a @Job method, such as Reports::render,"
					+ " not a lambda (" + lambda.getImplMethodName() + ")");
		}
		Method method = method(lambda, reference.getClass().getClassLoader());
		Job job = AnnotatedElementUtils.findMergedAnnotation(method, Job.class);
		if (job == null) {
			throw new IllegalArgumentException(JobDefinition.describe(method) + " is not a @Job method");
		}
		int context = Arrays.asList(method.getParameterTypes()).indexOf(JobContext.class);
		return new Resolved(JobDefinition.nameOf(method, job), context);
	}

	private static SerializedLambda serialized(JobMethod reference) {
		try {
			Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
			writeReplace.setAccessible(true);
			return (SerializedLambda) writeReplace.invoke(reference);
		}
		catch (ReflectiveOperationException | ClassCastException | SecurityException ex) {
			throw new IllegalArgumentException("Give a method reference to a @Job method, such as Reports::render", ex);
		}
	}

	private static Method method(SerializedLambda lambda, @Nullable ClassLoader loader) {
		try {
			Class<?> owner = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
			// The class's own methods up its superclasses, then public ones (interface defaults).
			List<Method> candidates = new ArrayList<>();
			for (Class<?> type = owner; type != null; type = type.getSuperclass()) {
				candidates.addAll(Arrays.asList(type.getDeclaredMethods()));
			}
			candidates.addAll(Arrays.asList(owner.getMethods()));
			for (Method candidate : candidates) {
				if (candidate.getName().equals(lambda.getImplMethodName())
						&& descriptor(candidate).equals(lambda.getImplMethodSignature())) {
					return candidate;
				}
			}
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalArgumentException("Cannot load " + lambda.getImplClass(), ex);
		}
		throw new IllegalArgumentException("Cannot find the method " + lambda.getImplClass() + "."
				+ lambda.getImplMethodName());
	}

	private static String descriptor(Method method) {
		return MethodType.methodType(method.getReturnType(), method.getParameterTypes())
			.toMethodDescriptorString();
	}

	private record Resolved(String name, int contextIndex) {
	}

	/**
	 * A call of a job method.
	 *
	 * @param name the job name
	 * @param arguments the arguments to store, without the {@link JobContext}
	 */
	public record Call(String name, List<@Nullable Object> arguments) {
	}

}
