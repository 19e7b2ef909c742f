package io.gracefulworker.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequest;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobClient} that writes jobs through a {@link JobQueue}; it checks the arguments of
 * jobs this application defines before storing them, and holds the jobs enqueued inside a
 * Spring transaction until it commits ({@link #setAfterCommit(boolean, Duration)}).
 */
public class DefaultJobClient implements JobClient {

	private final JobQueue queue;

	private final JobRegistry registry;

	private final JobCodec codec;

	private WorkerListener listener = WorkerListener.NONE;

	private JobObservation observation = JobObservation.NONE;

	private boolean afterCommitByDefault = false;

	private AfterCommitEnqueues afterCommit = new AfterCommitEnqueues(Duration.ofMinutes(1), () -> this.listener);

	public DefaultJobClient(JobQueue queue, JobRegistry registry, JobCodec codec) {
		this.queue = queue;
		this.registry = registry;
		this.codec = codec;
	}

	/**
	 * Makes enqueues inside an active Spring transaction wait for its commit, unless a request
	 * says otherwise.
	 * @param byDefault whether requests that say nothing wait for the commit
	 * @param retryFor how long a store that fails after the commit is retried
	 */
	public void setAfterCommit(boolean byDefault, Duration retryFor) {
		this.afterCommitByDefault = byDefault;
		this.afterCommit = new AfterCommitEnqueues(retryFor, () -> this.listener);
	}

	@Override
	public JobId enqueue(JobRequest request) {
		NewJob job = newJob(request);
		if (defers(request)) {
			this.afterCommit.defer(List.of(job), (jobs) -> store(jobs.get(0)));
			return new JobId(job.id());
		}
		return new JobId(store(job));
	}

	private String store(NewJob job) {
		String id = this.observation.enqueue(job, (traceparent) -> this.queue.enqueue(job.withTraceparent(traceparent)));
		this.listener.enqueued(job.name(), job.queue());
		return id;
	}

	@Override
	public List<JobId> enqueueAll(List<JobRequest> requests) {
		List<NewJob> now = new ArrayList<>(requests.size());
		List<NewJob> later = new ArrayList<>();
		List<NewJob> all = new ArrayList<>(requests.size());
		boolean[] deferred = new boolean[requests.size()];
		for (int i = 0; i < requests.size(); i++) {
			NewJob job = newJob(requests.get(i));
			all.add(job);
			deferred[i] = defers(requests.get(i));
			(deferred[i] ? later : now).add(job);
		}
		if (!later.isEmpty()) {
			this.afterCommit.defer(later, this::storeAll);
		}
		List<String> stored = now.isEmpty() ? List.of() : storeAll(now);
		List<JobId> result = new ArrayList<>(all.size());
		int next = 0;
		for (int i = 0; i < all.size(); i++) {
			result.add(new JobId(deferred[i] ? all.get(i).id() : stored.get(next++)));
		}
		return result;
	}

	private List<String> storeAll(List<NewJob> jobs) {
		List<String> ids = this.queue.enqueueAll(jobs);
		for (NewJob job : jobs) {
			this.listener.enqueued(job.name(), job.queue());
		}
		return ids;
	}

	private boolean defers(JobRequest request) {
		Boolean requested = request.afterCommit();
		return ((requested != null) ? requested : this.afterCommitByDefault) && AfterCommitEnqueues.inTransaction();
	}

	private NewJob newJob(JobRequest request) {
		Optional<JobDefinition> definition = this.registry.find(request.name());
		if (definition.isPresent()) {
			if (definition.get().argumentTypes().size() != request.arguments().size()) {
				throw new IllegalArgumentException("Job '" + request.name() + "' (" + definition.get().describe()
						+ ") takes " + definition.get().argumentTypes().size() + " arguments but "
						+ request.arguments().size() + " were given");
			}
			definition.get().mismatch(request.arguments()).ifPresent((reason) -> {
				throw new IllegalArgumentException("Job '" + request.name() + "' cannot be enqueued: " + reason);
			});
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
