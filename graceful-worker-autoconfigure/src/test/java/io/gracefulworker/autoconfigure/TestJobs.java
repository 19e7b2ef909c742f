package io.gracefulworker.autoconfigure;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;

/**
 * Jobs used by the integration tests; every execution is recorded so tests can assert on it.
 */
public class TestJobs {

	/** Executions of all jobs, across contexts in this JVM. */
	public static final Queue<Execution> executions = new ConcurrentLinkedQueue<>();

	/** Released by tests to let {@link #stubborn} return. */
	public static volatile CountDownLatch release = new CountDownLatch(1);

	public static final AtomicInteger stubbornReturned = new AtomicInteger();

	/** Jobs of {@link #overlap} running now, and the most that ever ran at once. */
	public static final AtomicInteger overlapping = new AtomicInteger();

	public static final AtomicInteger mostOverlapping = new AtomicInteger();

	public static void reset() {
		executions.clear();
		overlapping.set(0);
		mostOverlapping.set(0);
		release = new CountDownLatch(1);
		stubbornReturned.set(0);
	}

	@Job(name = "test.record")
	@Audited
	public void record(String label, int number, Payload payload, List<Payload> list, Map<String, Integer> map,
			Instant at) {
		executions.add(new Execution("test.record", label, 0, List.of(number, payload, list, map, at)));
	}

	@Job(name = "test.exact")
	public void exact(String label, BigDecimal amount, BigInteger big, long id, Instant at, double ratio) {
		executions.add(new Execution("test.exact", label, 0, List.of(amount, big, id, at, ratio)));
	}

	@Job(name = "test.where")
	public void where(String label, JobContext context) {
		executions.add(new Execution("test.where", label, context.attempt(), List.of(context.queue())));
	}

	@Job(name = "test.overlap")
	public void overlap(String label, long millis) throws InterruptedException {
		mostOverlapping.accumulateAndGet(overlapping.incrementAndGet(), Math::max);
		try {
			Thread.sleep(millis);
		}
		finally {
			overlapping.decrementAndGet();
		}
		executions.add(new Execution("test.overlap", label, 0, List.of()));
	}

	/** Records the thread it ran on. */
	@Job(name = "test.thread")
	public void thread(String label) {
		executions.add(new Execution("test.thread", label, 0, List.of(Thread.currentThread().toString())));
	}

	@Job(name = "test.tick")
	public void tick(String label, JobContext context) {
		executions.add(new Execution("test.tick", label, context.attempt(), List.of(context.id().value())));
	}

	@Job(name = "test.fails", maxAttempts = 3)
	public void fails(String label, JobContext context) {
		executions.add(new Execution("test.fails", label, context.attempt(), List.of()));
		throw new IllegalStateException("failure " + context.attempt());
	}

	@Job(name = "test.sleep", queue = "slow")
	public void sleep(String label, long millis) throws InterruptedException {
		Thread.sleep(millis);
		executions.add(new Execution("test.sleep", label, 0, List.of()));
	}

	/** Ignores interrupts until a test releases it. */
	@Job(name = "test.stubborn", queue = "slow")
	public void stubborn(String label) {
		executions.add(new Execution("test.stubborn.started", label, 0, List.of()));
		boolean released = false;
		while (!released) {
			try {
				released = release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				// a stubborn job ignores the interrupt
			}
		}
		stubbornReturned.incrementAndGet();
	}

	/** Works page by page, saves a checkpoint, and returns early when the worker stops. */
	@Job(name = "test.pages", queue = "slow")
	public void pages(String label, int pages, JobContext context) throws InterruptedException {
		int page = context.checkpoint(Integer.class).orElse(0);
		executions.add(new Execution("test.pages.started", label, context.attempt(), List.of(page)));
		while (page < pages) {
			if (context.isStopping()) {
				context.checkpoint(page);
				context.requeue();
			}
			Thread.sleep(Duration.ofMillis(20).toMillis());
			page++;
		}
		executions.add(new Execution("test.pages.done", label, context.attempt(), List.of(page)));
	}

	/** Works until it is cancelled, or for 30 seconds, and records whether it saw the cancel. */
	@Job(name = "test.cancellable", queue = "slow")
	public void cancellable(String label, JobContext context) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!context.isCancelled() && System.nanoTime() < deadline) {
			// A unit of the job's work.
			Thread.sleep(10);
		}
		executions.add(new Execution("test.cancellable", label, context.attempt(), List.of(context.isCancelled())));
	}

	/** Fails every time, with a payload of the given size. */
	@Job(name = "test.doomed", maxAttempts = 1)
	public void doomed(String payload) {
		throw new IllegalStateException("doomed");
	}

	/** Waits until the worker says it is stopping, through the callback. */
	@Job(name = "test.notified", queue = "slow")
	public void notified(String label, JobContext context) throws InterruptedException {
		CountDownLatch stopping = new CountDownLatch(1);
		context.onStopping(stopping::countDown);
		boolean notified = stopping.await(30, TimeUnit.SECONDS);
		executions.add(new Execution("test.notified", label, context.attempt(),
				List.of(notified, context.isStopping(), context.deadline().isPresent())));
	}

	/**
	 * One recorded execution.
	 *
	 * @param job the job
	 * @param label the label argument
	 * @param attempt the attempt (0 when the job does not take a context)
	 * @param values other values the job saw
	 */
	public record Execution(String job, String label, int attempt, List<Object> values) {
	}

	/**
	 * A structured argument.
	 *
	 * @param name a name
	 * @param tags some tags
	 */
	public record Payload(String name, List<String> tags) {
	}

}
