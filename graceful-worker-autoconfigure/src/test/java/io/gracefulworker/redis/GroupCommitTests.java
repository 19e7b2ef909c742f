package io.gracefulworker.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GroupCommit}.
 */
class GroupCommitTests {

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final List<List<String>> calls = new CopyOnWriteArrayList<>();

	private final List<Thread> callThreads = new CopyOnWriteArrayList<>();

	private final CountDownLatch firstCallEntered = new CountDownLatch(1);

	private final CountDownLatch releaseFirstCall = new CountDownLatch(1);

	private final AtomicInteger entered = new AtomicInteger();

	@AfterEach
	void stopCallers() {
		this.releaseFirstCall.countDown();
		this.callers.shutdownNow();
	}

	@Test
	void aLoneItemIsStoredAtOnceOnTheCallersOwnThread() {
		GroupCommit<String, List<String>> commit = new GroupCommit<>(10, this::record);
		this.releaseFirstCall.countDown();
		GroupCommit.Stored<String, List<String>> stored = commit.submit("a");
		assertThat(stored.result()).containsExactly("a");
		assertThat(stored.index()).isZero();
		assertThat(this.callThreads).containsExactly(Thread.currentThread());
	}

	@Test
	void itemsHandedInWhileACallIsInFlightGoTogetherInTheNextCallMadeByOneOfTheirCallers() throws Exception {
		GroupCommit<String, List<String>> commit = new GroupCommit<>(10, this::record);
		Future<GroupCommit.Stored<String, List<String>>> first = this.callers.submit(() -> commit.submit("first"));
		assertThat(this.firstCallEntered.await(10, TimeUnit.SECONDS)).isTrue();
		List<Future<GroupCommit.Stored<String, List<String>>>> others = new ArrayList<>();
		List<Thread> otherThreads = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 5; i++) {
			String item = "item-" + i;
			others.add(this.callers.submit(() -> {
				otherThreads.add(Thread.currentThread());
				return commit.submit(item);
			}));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> commit.waiting() == 5);
		this.releaseFirstCall.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS).result()).containsExactly("first");
		for (Future<GroupCommit.Stored<String, List<String>>> other : others) {
			GroupCommit.Stored<String, List<String>> stored = other.get(10, TimeUnit.SECONDS);
			assertThat(stored.result()).hasSize(5);
			assertThat(stored.result().get(stored.index())).startsWith("item-");
		}
		assertThat(this.calls).hasSize(2);
		assertThat(this.calls.get(1)).containsExactlyInAnyOrder("item-0", "item-1", "item-2", "item-3", "item-4");
		assertThat(otherThreads).contains(this.callThreads.get(1));
		assertThat(commit.waiting()).isZero();
	}

	@Test
	void eachCallerGetsItsOwnItemsPlaceInTheCall() throws Exception {
		GroupCommit<String, List<String>> commit = new GroupCommit<>(100, this::record);
		this.releaseFirstCall.countDown();
		List<Future<Boolean>> results = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			String item = "item-" + i;
			results.add(this.callers.submit(() -> {
				GroupCommit.Stored<String, List<String>> stored = commit.submit(item);
				return stored.result().get(stored.index()).equals(item);
			}));
		}
		for (Future<Boolean> result : results) {
			assertThat(result.get(10, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(this.calls.stream().mapToInt(List::size).sum()).isEqualTo(200);
	}

	@Test
	void aCallTakesAtMostMaxBatchItemsAndTheNextCallTheRest() throws Exception {
		GroupCommit<String, List<String>> commit = new GroupCommit<>(3, this::record);
		Future<?> first = this.callers.submit(() -> commit.submit("first"));
		assertThat(this.firstCallEntered.await(10, TimeUnit.SECONDS)).isTrue();
		List<Future<?>> others = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			String item = "item-" + i;
			others.add(this.callers.submit(() -> commit.submit(item)));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> commit.waiting() == 7);
		this.releaseFirstCall.countDown();
		first.get(10, TimeUnit.SECONDS);
		for (Future<?> other : others) {
			other.get(10, TimeUnit.SECONDS);
		}
		assertThat(this.calls).extracting(List::size).containsExactly(1, 3, 3, 1);
	}

	@Test
	void aFailedCallFailsEveryCallerOfThatCallAndNoOther() throws Exception {
		GroupCommit<String, List<String>> commit = new GroupCommit<>(10, (items) -> {
			List<String> result = record(items);
			if (items.contains("poison")) {
				throw new IllegalStateException("refused");
			}
			return result;
		});
		Future<?> first = this.callers.submit(() -> commit.submit("first"));
		assertThat(this.firstCallEntered.await(10, TimeUnit.SECONDS)).isTrue();
		Future<?> poison = this.callers.submit(() -> commit.submit("poison"));
		Future<?> sameCall = this.callers.submit(() -> commit.submit("same-call"));
		await().atMost(Duration.ofSeconds(10)).until(() -> commit.waiting() == 2);
		this.releaseFirstCall.countDown();
		first.get(10, TimeUnit.SECONDS);
		for (Future<?> failed : List.of(poison, sameCall)) {
			assertThatIllegalStateException().isThrownBy(() -> {
				try {
					failed.get(10, TimeUnit.SECONDS);
				}
				catch (java.util.concurrent.ExecutionException ex) {
					throw ex.getCause();
				}
			}).withMessage("refused");
		}
		assertThat(commit.submit("after").result()).containsExactly("after");
	}

	private List<String> record(List<String> items) {
		this.calls.add(List.copyOf(items));
		this.callThreads.add(Thread.currentThread());
		if (this.entered.getAndIncrement() == 0) {
			this.firstCallEntered.countDown();
			try {
				this.releaseFirstCall.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return List.copyOf(items);
	}

}
