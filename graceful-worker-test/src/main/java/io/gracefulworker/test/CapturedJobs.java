package io.gracefulworker.test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.gracefulworker.JobId;
import io.gracefulworker.JobMethod;
import io.gracefulworker.core.InlineJobRunner;
import io.gracefulworker.core.JobMethodReferences;
import io.gracefulworker.core.NewJob;
import org.assertj.core.api.AssertProvider;

/**
 * The jobs an application enqueued in a test with {@link AutoConfigureCapturedJobs}, in the
 * order they were enqueued: to look up, to assert with AssertJ's {@code assertThat(jobs)}, and
 * to run on the test's thread as a worker would.
 */
public class CapturedJobs implements AssertProvider<CapturedJobsAssert> {

	/**
	 * The most runs {@link #runPending()} makes, so that a job that enqueues itself ends the test
	 * instead of running for ever.
	 */
	public static final int MAX_RUNS = 1000;

	private final Supplier<InlineJobRunner> runner;

	private final List<CapturedJob> jobs = new ArrayList<>();

	CapturedJobs(Supplier<InlineJobRunner> runner) {
		this.runner = runner;
	}

	/**
	 * Returns every job captured since the last {@link #clear()}.
	 * @return the jobs, in the order they were enqueued
	 */
	public synchronized List<CapturedJob> all() {
		return List.copyOf(this.jobs);
	}

	/**
	 * Returns the captured jobs of one name.
	 * @param name the job name
	 * @return the jobs, in the order they were enqueued
	 */
	public List<CapturedJob> named(String name) {
		return all().stream().filter((job) -> job.name().equals(name)).toList();
	}

	/**
	 * Returns the captured jobs of one {@code @Job} method.
	 * @param method a method reference, such as {@code Reports::render}
	 * @param <T> the bean type
	 * @return the jobs, in the order they were enqueued
	 */
	public <T> List<CapturedJob> named(JobMethod.Zero<T> method) {
		return named(JobMethodReferences.name(method));
	}

	public <T, A> List<CapturedJob> named(JobMethod.One<T, A> method) {
		return named(JobMethodReferences.name(method));
	}

	public <T, A, B> List<CapturedJob> named(JobMethod.Two<T, A, B> method) {
		return named(JobMethodReferences.name(method));
	}

	public <T, A, B, C> List<CapturedJob> named(JobMethod.Three<T, A, B, C> method) {
		return named(JobMethodReferences.name(method));
	}

	/**
	 * Returns the captured jobs that have not run, or were put back.
	 * @return the jobs, in the order they were enqueued
	 */
	public List<CapturedJob> pending() {
		return all().stream().filter((job) -> job.state() == CapturedJob.State.ENQUEUED).toList();
	}

	public Optional<CapturedJob> find(JobId id) {
		return all().stream().filter((job) -> job.id().equals(id)).findFirst();
	}

	/**
	 * Runs one captured job on this thread, as a worker would run it once.
	 * @param id the job's id
	 * @return the job, {@link CapturedJob.State#SUCCEEDED} or, if it asked to be put back,
	 * {@link CapturedJob.State#ENQUEUED}
	 * @throws CapturedJobFailedException if the job threw
	 * @throws IllegalArgumentException if no job with this id was captured
	 */
	public CapturedJob run(JobId id) {
		CapturedJob job = find(id)
			.orElseThrow(() -> new IllegalArgumentException("No job " + id.value() + " was captured; captured: " + all()));
		job.run();
		return job;
	}

	/**
	 * Runs every pending job on this thread in the order they were enqueued, jobs they enqueue
	 * included, whenever they are due, until none is pending.
	 * @return how many runs were made
	 * @throws CapturedJobFailedException if a job threw: the jobs after it stay pending
	 * @throws IllegalStateException if jobs are still pending after {@link #MAX_RUNS} runs
	 */
	public int runPending() {
		return runPending((job) -> true);
	}

	/**
	 * Runs every pending job of one name, as {@link #runPending()} does; others stay pending.
	 * @param name the job name
	 * @return how many runs were made
	 */
	public int runPending(String name) {
		return runPending((job) -> job.name().equals(name));
	}

	private int runPending(Predicate<CapturedJob> filter) {
		int runs = 0;
		while (true) {
			Optional<CapturedJob> next = pending().stream().filter(filter).findFirst();
			if (next.isEmpty()) {
				return runs;
			}
			if (runs == MAX_RUNS) {
				throw new IllegalStateException("Still pending after " + MAX_RUNS + " runs (does a job enqueue itself?): "
						+ pending());
			}
			next.get().run();
			runs++;
		}
	}

	/**
	 * Forgets every captured job; done after each test method.
	 */
	public synchronized void clear() {
		this.jobs.clear();
	}

	@Override
	public CapturedJobsAssert assertThat() {
		return new CapturedJobsAssert(this);
	}

	/**
	 * Captures a job as a store would: a job whose idempotency key a captured job holds is not
	 * captured again, and that job's id is returned.
	 */
	synchronized String capture(NewJob job) {
		if (job.idempotencyKey() != null) {
			for (CapturedJob captured : this.jobs) {
				if (job.idempotencyKey().equals(captured.idempotencyKey().orElse(null))
						&& job.queue().equals(captured.queue())) {
					return captured.id().value();
				}
			}
		}
		this.jobs.add(new CapturedJob(job, Instant.now(), this.runner));
		return job.id();
	}

	@Override
	public String toString() {
		return all().toString();
	}

}
