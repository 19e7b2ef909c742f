package io.gracefulworker.test;

import java.util.List;

import io.gracefulworker.JobMethod;
import io.gracefulworker.core.JobMethodReferences;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the {@link CapturedJobs} of a test, from {@code assertThat(jobs)}.
 */
public class CapturedJobsAssert extends AbstractAssert<CapturedJobsAssert, CapturedJobs> {

	CapturedJobsAssert(CapturedJobs actual) {
		super(actual, CapturedJobsAssert.class);
	}

	/**
	 * Verifies that no job was enqueued.
	 * @return this
	 */
	public CapturedJobsAssert isEmpty() {
		isNotNull();
		if (!this.actual.all().isEmpty()) {
			failWithMessage("Expected no job to be enqueued, but these were: %s", this.actual.all());
		}
		return this;
	}

	/**
	 * Verifies how many jobs were enqueued.
	 * @param expected the count
	 * @return this
	 */
	public CapturedJobsAssert hasSize(int expected) {
		isNotNull();
		if (this.actual.all().size() != expected) {
			failWithMessage("Expected %s jobs to be enqueued, but %s were: %s", expected, this.actual.all().size(),
					this.actual.all());
		}
		return this;
	}

	/**
	 * Verifies that exactly one job of this name was enqueued and returns assertions on it.
	 * @param name the job name
	 * @return assertions on the job
	 */
	public CapturedJobAssert hasEnqueued(String name) {
		isNotNull();
		List<CapturedJob> jobs = this.actual.named(name);
		if (jobs.size() != 1) {
			failWithMessage("Expected one job %s to be enqueued, but %s were; all jobs enqueued: %s", name, jobs.size(),
					this.actual.all());
		}
		return new CapturedJobAssert(jobs.get(0));
	}

	/**
	 * Verifies that exactly one job of this {@code @Job} method was enqueued and returns
	 * assertions on it.
	 * @param method a method reference, such as {@code Reports::render}
	 * @param <T> the bean type
	 * @return assertions on the job
	 */
	public <T> CapturedJobAssert hasEnqueued(JobMethod.Zero<T> method) {
		return hasEnqueued(JobMethodReferences.name(method));
	}

	public <T, A> CapturedJobAssert hasEnqueued(JobMethod.One<T, A> method) {
		return hasEnqueued(JobMethodReferences.name(method));
	}

	public <T, A, B> CapturedJobAssert hasEnqueued(JobMethod.Two<T, A, B> method) {
		return hasEnqueued(JobMethodReferences.name(method));
	}

	public <T, A, B, C> CapturedJobAssert hasEnqueued(JobMethod.Three<T, A, B, C> method) {
		return hasEnqueued(JobMethodReferences.name(method));
	}

	/**
	 * Verifies how many jobs of this name were enqueued.
	 * @param name the job name
	 * @param times the count
	 * @return this
	 */
	public CapturedJobsAssert hasEnqueued(String name, int times) {
		isNotNull();
		int found = this.actual.named(name).size();
		if (found != times) {
			failWithMessage("Expected %s jobs %s to be enqueued, but %s were; all jobs enqueued: %s", times, name, found,
					this.actual.all());
		}
		return this;
	}

	/**
	 * Verifies that no job of this name was enqueued.
	 * @param name the job name
	 * @return this
	 */
	public CapturedJobsAssert hasNotEnqueued(String name) {
		return hasEnqueued(name, 0);
	}

	/**
	 * Verifies that every job enqueued has run, and its last run returned.
	 * @return this
	 */
	public CapturedJobsAssert allSucceeded() {
		isNotNull();
		List<CapturedJob> others = this.actual.all()
			.stream()
			.filter((job) -> job.state() != CapturedJob.State.SUCCEEDED)
			.toList();
		if (!others.isEmpty()) {
			failWithMessage("Expected every job to have succeeded, but these did not: %s", others);
		}
		return this;
	}

}
