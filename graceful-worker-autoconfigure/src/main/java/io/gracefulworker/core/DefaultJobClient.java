package io.gracefulworker.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequest;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobClient} that writes jobs through a {@link JobQueue}; it checks the arguments of
 * jobs this application defines before storing them.
 */
public class DefaultJobClient implements JobClient {

	private final JobQueue queue;

	private final JobRegistry registry;

	private final JobCodec codec;

	private WorkerListener listener = WorkerListener.NONE;

	private JobObservation observation = JobObservation.NONE;

	public DefaultJobClient(JobQueue queue, JobRegistry registry, JobCodec codec) {
		this.queue = queue;
		this.registry = registry;
		this.codec = codec;
	}

	@Override
	public JobId enqueue(JobRequest request) {
		NewJob job = newJob(request);
		String id = this.observation.enqueue(job, () -> this.queue.enqueue(job));
		this.listener.enqueued(job.name(), job.queue());
		return new JobId(id);
	}

	@Override
	public List<JobId> enqueueAll(List<JobRequest> requests) {
		List<NewJob> jobs = new ArrayList<>(requests.size());
		for (JobRequest request : requests) {
			jobs.add(newJob(request));
		}
		List<String> ids = this.queue.enqueueAll(jobs);
		List<JobId> result = new ArrayList<>(ids.size());
		for (int i = 0; i < ids.size(); i++) {
			this.listener.enqueued(jobs.get(i).name(), jobs.get(i).queue());
			result.add(new JobId(ids.get(i)));
		}
		return result;
	}

	private NewJob newJob(JobRequest request) {
		Optional<JobDefinition> definition = this.registry.find(request.name());
		if (definition.isPresent() && definition.get().argumentTypes().size() != request.arguments().size()) {
			throw new IllegalArgumentException("Job '" + request.name() + "' (" + definition.get().describe()
					+ ") takes " + definition.get().argumentTypes().size() + " arguments but "
					+ request.arguments().size() + " were given");
		}
		String queueName = (request.queue() != null) ? request.queue()
				: definition.map(JobDefinition::queue).orElse(this.registry.defaultQueue());
		int maxAttempts = (request.maxAttempts() > 0) ? request.maxAttempts()
				: definition.map(JobDefinition::maxAttempts).orElse(this.registry.defaultMaxAttempts());
		return new NewJob(JobIds.generate(), request.name(), queueName,
				this.codec.writeArguments(request.arguments()), maxAttempts, request.idempotencyKey(), request.runAt(),
				request.delay(), bean(request, definition.orElse(null)));
	}

	/**
	 * Returns the bean to store with the job: none when one bean defines it, the requested one
	 * when several do.
	 */
	private static @Nullable String bean(JobRequest request, @Nullable JobDefinition definition) {
		String requested = request.bean();
		if (definition == null) {
			return requested;
		}
		List<String> beans = definition.beanNames();
		if (requested != null && !beans.contains(requested)) {
			throw new IllegalArgumentException("Job '" + request.name() + "' is not defined on bean '" + requested
					+ "'; the beans that define it are " + beans);
		}
		if (requested == null && beans.size() > 1) {
			throw new IllegalArgumentException("Job '" + request.name() + "' is defined on the beans " + beans
					+ ": call it through the bean it should run on, or name one with JobRequest.bean(...)");
		}
		return (beans.size() > 1) ? requested : null;
	}

	public void setListener(WorkerListener listener) {
		this.listener = listener;
	}

	public void setObservation(JobObservation observation) {
		this.observation = observation;
	}

}
