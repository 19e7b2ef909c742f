package io.gracefulworker.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.gracefulworker.JobContext;

/**
 * Runs a stored job on the calling thread as a worker would, for test support and tools that
 * run jobs without one: the arguments are read back from their JSON as the method's declared
 * types and the method is called on its bean past the interceptor that would enqueue it.
 */
public final class InlineJobRunner {

	private final JobRegistry registry;

	private final JobCodec codec;

	private final Function<String, Object> beans;

	/**
	 * Creates a runner.
	 * @param registry the application's jobs
	 * @param codec the codec that wrote the arguments
	 * @param beans looks a bean up by name
	 */
	public InlineJobRunner(JobRegistry registry, JobCodec codec, Function<String, Object> beans) {
		this.registry = registry;
		this.codec = codec;
		this.beans = beans;
	}

	/**
	 * Reads a job's arguments as its method declares them, without its {@link JobContext}.
	 * @param record the job
	 * @return the arguments
	 * @throws JobPayloadException if they do not fit the method
	 */
	public List<Object> arguments(JobRecord record) {
		JobDefinition definition = definition(record);
		List<Object> arguments = new ArrayList<>(
				Arrays.asList(this.codec.readArguments(record, definition, new InlineJobContext(record, this.codec))));
		if (definition.contextIndex() >= 0) {
			arguments.remove(definition.contextIndex());
		}
		return arguments;
	}

	/**
	 * Runs a job once and returns when its method does.
	 * @param record the job
	 * @throws JobPayloadException if its arguments do not fit the method
	 * @throws io.gracefulworker.JobRequeueException if the job asked to be put back
	 * @throws Throwable what the job's method threw
	 */
	public void run(JobRecord record) throws Throwable {
		JobDefinition definition = definition(record);
		String beanName = definition.beanFor(record.bean())
			.orElseThrow(() -> new JobShapeException("The job names bean '" + record.bean()
					+ "', but the application defines it on the beans " + definition.beanNames()));
		Object[] arguments = this.codec.readArguments(record, definition, new InlineJobContext(record, this.codec));
		JobInvocation.call(this.beans.apply(beanName), definition.method(), arguments);
	}

	private JobDefinition definition(JobRecord record) {
		return this.registry.find(record.name())
			.orElseThrow(() -> new JobShapeException("No @Job named '" + record.name() + "' in this application"));
	}

}
