package io.gracefulworker.core;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerThreadsTests {

	@Test
	void platformJobThreadsRunAsManyBlockingJobsAtOnceAsTheConcurrency() throws Exception {
		WorkerThreads.JobThreads threads = new WorkerThreads(false).jobThreads(8);
		try {
			CountDownLatch allRunning = new CountDownLatch(8);
			CountDownLatch released = new CountDownLatch(1);
			for (int i = 0; i < 8; i++) {
				threads.executor().execute(() -> {
					allRunning.countDown();
					try {
						released.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
			// Each job blocks until all eight run: a pool that ran fewer at once would never get there.
			assertThat(allRunning.await(30, TimeUnit.SECONDS)).isTrue();
			released.countDown();
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void platformJobThreadsAreNamedDaemonsWithTheWorkersContextClassLoader() throws Exception {
		ClassLoader original = Thread.currentThread().getContextClassLoader();
		ClassLoader application = new URLClassLoader(new URL[0], original);
		WorkerThreads.JobThreads threads;
		Thread.currentThread().setContextClassLoader(application);
		try {
			threads = new WorkerThreads(false).jobThreads(2);
		}
		finally {
			Thread.currentThread().setContextClassLoader(original);
		}
		try {
			List<Thread> seen = new CopyOnWriteArrayList<>();
			List<ClassLoader> loaders = new CopyOnWriteArrayList<>();
			CountDownLatch done = new CountDownLatch(2);
			for (int i = 0; i < 2; i++) {
				threads.executor().execute(() -> {
					seen.add(Thread.currentThread());
					loaders.add(Thread.currentThread().getContextClassLoader());
					done.countDown();
				});
			}
			assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(seen).allSatisfy((thread) -> {
				assertThat(thread.getName()).matches("gw-job-\\d+");
				assertThat(thread.isDaemon()).isTrue();
			});
			assertThat(loaders).containsOnly(application);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void shutdownNowInterruptsAJobThatStillRuns() throws Exception {
		WorkerThreads.JobThreads threads = new WorkerThreads(false).jobThreads(2);
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch interrupted = new CountDownLatch(1);
		threads.executor().execute(() -> {
			started.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		});
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

		threads.shutdownNow();

		assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
	}

}
