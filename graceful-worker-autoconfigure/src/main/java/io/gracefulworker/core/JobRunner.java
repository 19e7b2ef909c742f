package io.gracefulworker.core;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Runs claimed jobs, each in a slot on a job thread: reads the arguments as the job method's
 * declared types, invokes the method through its bean, and hands the outcome to the
 * {@link OutcomeRecorder}.
 */
final class JobRunner {

	private final JobRegistry registry;

	private final JobCodec codec;

	private final Function<String, Object> beans;

	private final JobObservation observation;

	private final WorkerSlots slots;

	private final CurrentDrain drain;

	private final JobCheckpoints checkpoints;

	private final OutcomeRecorder outcomes;

	private final WorkerThreads.JobThreads threads;

	JobRunner(JobRegistry registry, JobCodec codec, Function<String, Object> beans, JobObservation observation,
			WorkerSlots slots, CurrentDrain drain, JobCheckpoints checkpoints, OutcomeRecorder outcomes,
			WorkerThreads.JobThreads threads) {
		this.registry = registry;
		this.codec = codec;
		this.beans = beans;
		this.observation = observation;
		this.slots = slots;
		this.drain = drain;
		this.checkpoints = checkpoints;
		this.outcomes = outcomes;
		this.threads = threads;
	}

	/**
	 * Starts a claimed job in a slot kept for its claim, or gives it back untouched if the worker
	 * began to drain while it was claimed (a paused worker runs it).
	 * @param job the claimed job
	 */
	void launch(ClaimedJob job) {
		JobExecution execution = new JobExecution(job);
		this.slots.occupy(execution);
		start(execution, Runnable::run, null);
	}

	/**
	 * Starts a job handed over to the worker, in the slot kept for it or a free one, or gives it
	 * back, its attempt unchanged, if the worker cannot take it (paused, or its slots filled
	 * since it registered: a worker of several queues registers on each whose claim left a slot
	 * free, and a claim of another may fill that slot first) or began to drain; called on the
	 * subscription's thread, which must not wait for the store, so a give-back runs on a thread of
	 * its own (the job threads may all be busy).
	 * @param job the job, leased to the worker
	 * @param paused whether the worker is paused
	 * @param slotKept whether a slot is kept for it
	 */
	void launchHandedOver(ClaimedJob job, boolean paused, boolean slotKept) {
		JobExecution execution = new JobExecution(job);
		boolean fits = this.slots.occupy(execution) || slotKept;
		start(execution, (giveBack) -> WorkerThreads.start("give-back", giveBack),
				paused ? "paused" : fits ? null : "busy");
	}

	private void start(JobExecution execution, Executor giveBacks, @Nullable String refusal) {
		String reason = this.drain.isStopping() ? "shutdown" : refusal;
		if (reason != null) {
			giveBacks.execute(() -> giveBack(execution, reason));
			return;
		}
		try {
			this.threads.executor().execute(() -> run(execution));
		}
		catch (RuntimeException ex) {
			giveBacks.execute(() -> giveBack(execution, "shutdown"));
		}
	}

	private void giveBack(JobExecution execution, String reason) {
		try {
			if (execution.settle()) {
				this.outcomes.requeue(execution, reason, Duration.ZERO);
			}
		}
		finally {
			this.slots.release(execution);
		}
	}

	private void run(JobExecution execution) {
		execution.begin(Thread.currentThread());
		try {
			execute(execution);
		}
		finally {
			execution.end();
			Thread.interrupted();
			this.slots.release(execution);
		}
	}

	private void execute(JobExecution execution) {
		JobRecord record = execution.job.record();
		if (record == null) {
			this.outcomes.unreadable(execution, String.valueOf(execution.job.unreadable()));
			return;
		}
		Optional<JobDefinition> found = this.registry.find(record.name());
		if (found.isEmpty()) {
			this.outcomes.unknown(execution, record);
			return;
		}
		JobDefinition definition = found.get();
		Optional<String> bean = definition.beanFor(record.bean());
		if (bean.isEmpty()) {
			this.outcomes.unknownShape(execution, record, "it names bean '" + record.bean()
					+ "', but this worker defines the job on the beans " + definition.beanNames());
			return;
		}
		Object[] arguments;
		try {
			arguments = this.codec.readArguments(record, definition,
					new DefaultJobContext(record, execution, this.drain, this.checkpoints));
		}
		catch (JobShapeException ex) {
			this.outcomes.unknownShape(execution, record, String.valueOf(ex.getMessage()));
			return;
		}
		catch (JobPayloadException ex) {
			this.outcomes.unreadable(execution, String.valueOf(ex.getMessage()));
			return;
		}
		try {
			this.observation.execute(record, () -> invoke(bean.get(), definition, arguments));
		}
		catch (Throwable ex) {
			this.outcomes.failed(execution, record, ex);
			return;
		}
		this.outcomes.succeeded(execution);
	}

	private void invoke(String beanName, JobDefinition definition, Object[] arguments) throws Throwable {
		JobInvocation.call(this.beans.apply(beanName), definition.method(), arguments);
	}

}
