package io.gracefulworker.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Makes the worker's threads: jobs on a fixed pool of platform threads or on virtual threads,
 * and the worker's own loops on daemon platform threads named {@code gw-*}.
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
		ExecutorService pool = Executors.newFixedThreadPool(concurrency, factory("gw-job-"));
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
