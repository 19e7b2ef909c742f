package io.gracefulworker.test;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.gracefulworker.core.ClaimResult;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.core.QueueStats;
import io.gracefulworker.core.RecoverResult;
import io.gracefulworker.core.RecurringStore;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobQueue} of a context whose jobs are captured: enqueues go to
 * {@link CapturedJobs}, and the operations only a worker calls are refused, since none runs.
 */
final class CapturingJobQueue implements JobQueue {

	private final CapturedJobs jobs;

	private final CapturedRecurringStore recurring = new CapturedRecurringStore();

	CapturingJobQueue(CapturedJobs jobs) {
		this.jobs = jobs;
	}

	@Override
	public String enqueue(NewJob job) {
		return this.jobs.capture(job);
	}

	@Override
	public ClaimResult claim(String queue, int max, Duration lease, String tokenPrefix) {
		throw noWorker();
	}

	@Override
	public Set<String> heartbeat(String queue, Collection<ClaimedJob> jobs, Duration lease) {
		throw noWorker();
	}

	@Override
	public Set<String> complete(String queue, Collection<FinishedJob> jobs) {
		throw noWorker();
	}

	@Override
	public boolean fail(ClaimedJob job, JobError error, @Nullable Duration retryDelay) {
		throw noWorker();
	}

	@Override
	public boolean requeue(ClaimedJob job, String reason, Duration delay) {
		throw noWorker();
	}

	@Override
	public boolean checkpoint(ClaimedJob job, String progress) {
		throw noWorker();
	}

	@Override
	public RecoverResult recover(String queue, int maxRecoveries) {
		return new RecoverResult(0, 0);
	}

	@Override
	public QueueStats stats(String queue) {
		List<CapturedJob> pending = this.jobs.pending().stream().filter((job) -> job.queue().equals(queue)).toList();
		Instant now = Instant.now();
		long scheduled = pending.stream().filter((job) -> job.runAt().filter(now::isBefore).isPresent()).count();
		return new QueueStats(pending.size() - scheduled, scheduled, 0, 0, null, 0, 0);
	}

	@Override
	public void consume(String queue, String workerId, Duration ttl) {
	}

	@Override
	public Set<String> queues() {
		Set<String> queues = new LinkedHashSet<>();
		this.jobs.all().forEach((job) -> queues.add(job.queue()));
		return queues;
	}

	@Override
	public AutoCloseable subscribe(Consumer<String> listener) {
		return () -> {
		};
	}

	@Override
	public RecurringStore recurring() {
		return this.recurring;
	}

	private static UnsupportedOperationException noWorker() {
		return new UnsupportedOperationException(
				"Jobs are captured and no worker runs: run them with CapturedJobs.run or runPending");
	}

}
