package io.gracefulworker.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.Recurring.Overlap;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.core.RecurringSchedule;
import io.gracefulworker.core.RecurringStore;
import io.gracefulworker.core.RecurringStore.DueTicks;
import io.gracefulworker.core.RecurringStore.Fire;
import io.gracefulworker.core.RecurringStore.FireResult;
import io.gracefulworker.core.RecurringStore.ScheduleState;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recurring store's scripts against a real Redis: a tick is claimed once whoever tries,
 * overlaps are skipped, and schedules no worker declares are pruned.
 */
@ExtendWith(RedisExtension.class)
class RedisRecurringStoreIntegrationTests {

	private static final RecurringSchedule EVERY_SECOND = new RecurringSchedule("test.tick", "q", "* * * * * *",
			ZoneId.of("UTC"), MissedTicks.FIRE_ONCE, Overlap.SKIP, 3);

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private RedisJobQueue queue;

	private RecurringStore store;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.connectionFactory = factory;
		this.redis = new StringRedisTemplate(factory);
		this.queue = new RedisJobQueue(connectionFactory, "gw");
		this.store = this.queue.recurring();
	}

	@Test
	void aDueTickIsClaimedByExactlyOneOfManyWorkersTryingAtOnce() throws Exception {
		Instant tick = this.store.now().minusMillis(10);
		this.store.declare("w1", List.of(EVERY_SECOND), Map.of("test.tick", tick));
		DueTicks due = this.store.due("q", 10);
		assertThat(due.due()).singleElement().satisfies((one) -> assertThat(one.tick()).isEqualTo(tick));
		int workers = 8;
		ExecutorService pool = Executors.newFixedThreadPool(workers);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<FireResult>> results = new ArrayList<>();
		for (int i = 0; i < workers; i++) {
			results.add(pool.submit(() -> {
				start.await();
				return this.store.fire("q", List.of(fire(tick, tick.plusSeconds(1)))).get("test.tick");
			}));
		}
		start.countDown();
		List<FireResult> outcomes = new ArrayList<>();
		for (Future<FireResult> result : results) {
			outcomes.add(result.get(10, TimeUnit.SECONDS));
		}
		pool.shutdown();
		assertThat(outcomes).filteredOn(FireResult::claimed).singleElement()
			.satisfies((won) -> assertThat(won.fired()).isEqualTo(1));
		assertThat(redis.opsForList().range(this.queue.keys("q").ready(), 0, -1))
			.containsExactly("test.tick@" + tick);
		assertThat(this.store.schedules("q")).singleElement().satisfies((state) -> {
			assertThat(state.nextTick()).isEqualTo(tick.plusSeconds(1));
			assertThat(state.lastTick()).isEqualTo(tick);
			assertThat(state.fires()).isEqualTo(1);
		});
	}

	@ParameterizedTest(name = "outcomes kept: {0}")
	@NullSource
	@EnumSource(names = { "SORTED_SET", "LIST" })
	void aTickIsSkippedAndCountedWhileThePreviousJobHasNotEndedUnlessOverlapsAreAllowed(
			@Nullable RedisOutcomeLayout outcomes) {
		if (outcomes != null) {
			this.queue = new RedisJobQueue(this.connectionFactory, "gw", 0, Duration.ofSeconds(1),
					new JobRetention(Duration.ofMinutes(5), 1000, Duration.ofDays(7), 1000));
			this.queue.setOutcomeLayout(outcomes);
			this.store = this.queue.recurring();
		}
		Instant first = this.store.now().minusSeconds(2);
		this.store.declare("w1", List.of(EVERY_SECOND), Map.of("test.tick", first));
		assertThat(this.store.fire("q", List.of(fire(first, first.plusSeconds(1)))).get("test.tick").fired())
			.isEqualTo(1);
		FireResult overlapping = this.store.fire("q", List.of(fire(first.plusSeconds(1), first.plusSeconds(2))))
			.get("test.tick");
		assertThat(overlapping.claimed()).isTrue();
		assertThat(overlapping.fired()).isZero();
		assertThat(overlapping.overlapping()).isEqualTo(1);
		ClaimedJob running = this.queue.claim("q", 1, Duration.ofSeconds(30), "w1:1").jobs().get(0);
		assertThat(this.queue.complete("q", List.of(new FinishedJob(running, Instant.now(), "w1")))).isEmpty();
		assertThat(this.store.fire("q", List.of(fire(first.plusSeconds(2), first.plusSeconds(3)))).get("test.tick")
			.fired()).as("once the previous job ended").isEqualTo(1);
		assertThat(this.store.schedules("q").get(0).overlapSkipped()).isEqualTo(1);
	}

	@Test
	void aScheduleIsPrunedOnceNoLiveWorkerDeclaresItButOneDeclaredByTheApiStays() {
		RecurringSchedule other = new RecurringSchedule("test.other", "q", "0 * * * * *", ZoneId.of("UTC"),
				MissedTicks.SKIP, Overlap.ALLOW, 1);
		Instant next = this.store.now().plusSeconds(60);
		this.store.declare("old-worker", List.of(EVERY_SECOND), Map.of("test.tick", next));
		this.store.declare(RecurringStore.PROGRAMMATIC, List.of(other), Map.of("test.other", next));
		assertThat(this.store.prune("q", List.of("old-worker"), Duration.ZERO)).as("declarer live").isEmpty();
		assertThat(this.store.prune("q", List.of(), Duration.ofMinutes(1))).as("declared lately").isEmpty();
		assertThat(this.store.prune("q", List.of("new-worker"), Duration.ZERO)).containsExactly("test.tick");
		assertThat(this.store.schedules("q")).extracting((state) -> state.schedule().job())
			.containsExactly("test.other");
		assertThat(this.store.due("q", 10).earliestPending()).isEqualTo(next);
	}

	@Test
	void aChangedScheduleStartsAfreshAndAnUnchangedOneKeepsItsNextTick() {
		Instant first = this.store.now().plusSeconds(30);
		this.store.declare("w1", List.of(EVERY_SECOND), Map.of("test.tick", first));
		this.store.declare("w2", List.of(EVERY_SECOND), Map.of("test.tick", first.plusSeconds(5)));
		ScheduleState kept = this.store.schedules("q").get(0);
		assertThat(kept.nextTick()).isEqualTo(first);
		assertThat(kept.declaredBy()).containsExactlyInAnyOrder("w1", "w2");
		RecurringSchedule changed = new RecurringSchedule("test.tick", "q", "*/5 * * * * *", ZoneId.of("UTC"),
				MissedTicks.FIRE_ONCE, Overlap.SKIP, 3);
		this.store.declare("w3", List.of(changed), Map.of("test.tick", first.plusSeconds(7)));
		assertThat(this.store.schedules("q").get(0).nextTick()).isEqualTo(first.plusSeconds(7));
		assertThat(this.store.schedules("q").get(0).schedule().cron()).isEqualTo("*/5 * * * * *");
		assertThat(this.store.remove("q", "test.tick")).isTrue();
		assertThat(this.store.schedules("q")).isEmpty();
	}

	private static Fire fire(Instant tick, Instant next) {
		NewJob job = new NewJob("test.tick@" + tick, "test.tick", "q", "[]", 3, null, null, null, null);
		return new Fire(EVERY_SECOND, tick, Map.of(tick, job), next, 0);
	}

}
