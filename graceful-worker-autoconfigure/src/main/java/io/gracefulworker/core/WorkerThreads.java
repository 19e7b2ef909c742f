package io.gracefulworker.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Makes the worker's threads: jobs on a pool of as many platform threads as the concurrency or on
 * virtual threads, and the worker's own loops on daemon platform threads named {@code gw-*}.
 */
final class WorkerThreads {

	private final boolean virtual;

	WorkerThreads(boolean virtual) {
		this.virtual = virtual;
	}

	boolean virtual() {
		return this.virtual;
	}

	JobThreads jobThreads(int concurrency) {
		if (this.virtual) {
			SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("gw-job-");
			executor.setVirtualThreads(true);
			return new JobThreads(executor, null);
		}
		// A fork-join pool rather than a fixed pool: a thread that finishes a job takes the next
		// claimed one without parking, and a claimed job goes to a thread still looking for work,
		// where a fixed pool wakes a parked thread for every job (docs/performance.md: the job
		// threads' CPU a job fell from 11-13 to 2.5-4.4 µs). The slots keep the jobs running at
		// once within the concurrency, so no job ever waits for a thread.
		ClassLoader loader = Thread.currentThread().getContextClassLoader();
		AtomicInteger number = new AtomicInteger();
		ForkJoinPool pool = new ForkJoinPool(concurrency,
				(owner) -> new JobThread(owner, "gw-job-" + number.incrementAndGet(), loader), null, true);
		return new JobThreads(pool::execute, pool);
	}

	ScheduledExecutorService scheduler(String name, int threads) {
		return Executors.newScheduledThreadPool(threads, factory("gw-" + name + "-"));
	}

	static Thread start(String name, Runnable task) {
		Thread thread = new Thread(task, "gw-" + name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static CustomizableThreadFactory factory(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * A platform job thread: named, a daemon, and with the worker's context class loader (a
	 * fork-join pool's default threads would have the system's, which cannot see the classes of
	 * an executable jar).
	 */
	private static final class JobThread extends ForkJoinWorkerThread {

		JobThread(ForkJoinPool pool, String name, @Nullable ClassLoader loader) {
			super(pool);
			setName(name);
			setDaemon(true);
			setContextClassLoader(loader);
		}

	}

	/**
	 * Where jobs run; a pool is shut down when the worker stops, virtual threads end with their
	 * jobs.
	 *
	 * @param executor runs each job
	 * @param pool the pool behind it, or {@code null}
	 */
	record JobThreads(TaskExecutor executor, @Nullable ExecutorService pool) {

		void shutdownNow() {
			if (this.pool != null) {
				this.pool.shutdownNow();
			}
		}

	}

}
