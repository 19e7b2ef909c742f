package io.gracefulworker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gracefulworker.CancelResult;
import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;
import io.gracefulworker.core.CancelRequest;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.JobQueue;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.core.TrimResult;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripts that find jobs and act on them (status, cancel, the dead set) and keep ended jobs
 * for their retention, against a real Redis.
 */
@ExtendWith(RedisExtension.class)
class RedisJobOperationsIntegrationTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final JobRetention KEEP = new JobRetention(Duration.ofMinutes(5), 1000, Duration.ofDays(7), 1000);

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private RedisJobQueue queue;

	private RedisJobKeys keys;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.connectionFactory = factory;
		this.redis = new StringRedisTemplate(factory);
		this.queue = queue(KEEP);
		this.keys = this.queue.keys("q");
	}

	@Test
	void statusFollowsAJobThroughReadyRunningAndSucceeded() {
		Instant before = Instant.now().minusSeconds(1);
		this.queue.enqueue(job("a", "key-a"));
		JobStatus ready = status("a");
		assertThat(ready.state()).isEqualTo(JobState.READY);
		assertThat(ready.name()).isEqualTo("test.job");
		assertThat(ready.queue()).isEqualTo("q");
		assertThat(ready.attempt()).isZero();
		assertThat(ready.maxAttempts()).isEqualTo(3);
		assertThat(ready.enqueuedAt()).isAfter(before);
		ClaimedJob claimed = claim(1).get(0);
		JobStatus running = status("a");
		assertThat(running.state()).isEqualTo(JobState.RUNNING);
		assertThat(running.attempt()).isEqualTo(1);
		assertThat(running.worker()).isEqualTo("worker-1");
		complete(claimed);
		JobStatus succeeded = status("a");
		assertThat(succeeded.state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(succeeded.attempt()).isEqualTo(1);
		assertThat(succeeded.worker()).isEqualTo("worker-1");
		assertThat(succeeded.startedAt()).isAfter(before);
		assertThat(succeeded.enqueuedAt()).isEqualTo(ready.enqueuedAt());
		assertThat(succeeded.finishedAt()).isAfterOrEqualTo(succeeded.startedAt().minusSeconds(5));
		assertThat(this.queue.arguments("q", "a")).isEmpty();
		assertThat(this.queue.status("q", "nobody")).isEmpty();
	}

	@Test
	void statusOfAScheduledJobSaysWhenItIsDueAndOfARetriedOneItsLastError() {
		Instant runAt = Instant.now().plusSeconds(3600);
		this.queue.enqueue(new NewJob("later", "test.job", "q", "[1]", 3, null, runAt, null, null));
		JobStatus scheduled = status("later");
		assertThat(scheduled.state()).isEqualTo(JobState.SCHEDULED);
		assertThat(scheduled.dueAt()).isEqualTo(Instant.ofEpochMilli(runAt.toEpochMilli()));
		this.queue.enqueue(job("a", null));
		ClaimedJob claimed = claim(1).get(0);
		this.queue.fail(claimed, JobError.of("failed", new IllegalStateException("boom")), Duration.ofMinutes(1));
		JobStatus retrying = status("a");
		assertThat(retrying.state()).isEqualTo(JobState.SCHEDULED);
		assertThat(retrying.attempt()).isEqualTo(1);
		assertThat(retrying.lastError().reason()).isEqualTo("failed");
		assertThat(retrying.lastError().type()).isEqualTo(IllegalStateException.class.getName());
		assertThat(retrying.lastError().message()).isEqualTo("boom");
		assertThat(retrying.lastError().stack()).contains("RedisJobOperationsIntegrationTests");
		assertThat(this.queue.arguments("q", "a")).contains("[1]");
	}

	@Test
	void aCompletionOfManyKeepsTheOutcomesOfThoseItsTokensOwnAndRefusesTheRest() {
		this.queue.enqueue(job("a", null));
		this.queue.enqueue(job("b", "key-b"));
		this.queue.enqueue(job("c", null));
		List<ClaimedJob> claimed = claim(3);
		Instant started = Instant.now();
		List<FinishedJob> finished = List.of(new FinishedJob(claimed.get(0), started, "w"),
				new FinishedJob(claimed.get(1).withToken("stale"), started, "w"),
				new FinishedJob(claimed.get(2), started, "w"));
		assertThat(this.queue.complete("q", finished)).containsExactly("b");
		assertThat(status("a").state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(status("c").state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(status("b").state()).isEqualTo(JobState.RUNNING);
		assertThat(this.queue.arguments("q", "b")).contains("[1]");
		assertThat(keptIds()).containsExactlyInAnyOrder("a", "c");
		assertThat(this.queue.complete("q", List.of(new FinishedJob(claimed.get(1), started, "w")))).isEmpty();
		assertThat(status("b").state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.queue.enqueue(job("d", "key-b"))).as("a kept outcome holds its key").isEqualTo("b");
	}

	@Test
	void withoutRetentionASucceededJobIsGoneAndItsKeyFreed() {
		this.queue = queue(JobRetention.NO_OUTCOMES);
		this.queue.enqueue(job("a", "key-a"));
		complete(claim(1).get(0));
		assertThat(this.queue.status("q", "a")).isEmpty();
		assertThat(redis.opsForHash().hasKey(this.keys.idempotency(), "key-a")).isFalse();
		assertThat(redis.hasKey(this.keys.finished())).isFalse();
		assertThat(redis.hasKey(this.keys.outcomes())).isFalse();
	}

	@Test
	void aKeptOutcomeHoldsItsIdempotencyKeyUntilTheTrimRemovesIt() {
		this.queue = queue(new JobRetention(Duration.ofMillis(200), 1000, Duration.ofDays(7), 1000));
		this.queue.enqueue(job("a", "key-a"));
		complete(claim(1).get(0));
		assertThat(this.queue.enqueue(job("b", "key-a"))).isEqualTo("a");
		assertThat(this.queue.trim("q").finished()).isZero();
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.queue.trim("q").finished() == 1);
		assertThat(this.queue.status("q", "a")).isEmpty();
		assertThat(redis.opsForHash().hasKey(this.keys.idempotency(), "key-a")).isFalse();
		assertThat(this.queue.enqueue(job("c", "key-a"))).isEqualTo("c");
	}

	@Test
	void anIdempotencyKeyHoldsWhileItsJobRunsAndWhileItIsDead() {
		this.queue.enqueue(job("a", "key-a"));
		ClaimedJob running = claim(1).get(0);
		assertThat(this.queue.enqueue(job("b", "key-a"))).isEqualTo("a");
		kill(running);
		assertThat(this.queue.enqueue(job("c", "key-a"))).isEqualTo("a");
		assertThat(redis.opsForHash().size(this.keys.jobs())).isEqualTo(1);
	}

	@Test
	void completionsKeepTheCountOfOutcomesRemovingTheOldestWithTheirKeys() {
		this.queue = queue(new JobRetention(Duration.ofMinutes(5), 3, Duration.ofDays(7), 1000));
		for (int i = 0; i < 5; i++) {
			this.queue.enqueue(job("job-" + i, "key-" + i));
			complete(claim(1).get(0));
		}
		assertThat(keptIds()).containsExactly("job-2", "job-3", "job-4");
		assertThat(redis.opsForHash().keys(this.keys.jobs())).containsExactlyInAnyOrder("job-2", "job-3", "job-4");
		assertThat(redis.opsForHash().keys(this.keys.idempotency())).containsExactlyInAnyOrder("key-2", "key-3",
				"key-4");
		assertThat(this.queue.trim("q").finished()).isZero();
	}

	@Test
	void aTrimPassRemovesMoreThanOneScriptsChunk() {
		this.queue = queue(new JobRetention(Duration.ZERO, 0, Duration.ZERO, 0));
		List<NewJob> jobs = new ArrayList<>();
		for (int i = 0; i < 1200; i++) {
			jobs.add(job("job-" + i, null));
		}
		this.queue.enqueueAll(jobs);
		for (ClaimedJob claimed : this.queue.claim("q", 1000, LEASE, "worker-1:a").jobs()) {
			kill(claimed);
		}
		for (ClaimedJob claimed : this.queue.claim("q", 1000, LEASE, "worker-1:b").jobs()) {
			kill(claimed);
		}
		TrimResult trimmed = this.queue.trim("q");
		assertThat(trimmed.dead()).isEqualTo(1200);
		assertThat(trimmed.deadLeft()).isZero();
		assertThat(redis.opsForHash().size(this.keys.jobs())).isZero();
	}

	@Test
	void deadJobsBeyondTheirCountOrAgeAreTrimmedOldestFirstWithTheirKeys() {
		this.queue = queue(new JobRetention(Duration.ZERO, 0, Duration.ofDays(7), 4));
		for (int i = 0; i < 6; i++) {
			this.queue.enqueue(job("dead-" + i, "key-" + i));
			kill(claim(1).get(0));
		}
		TrimResult trimmed = this.queue.trim("q");
		assertThat(trimmed.dead()).isEqualTo(2);
		assertThat(trimmed.deadLeft()).isEqualTo(4);
		assertThat(this.queue.status("q", "dead-0")).isEmpty();
		assertThat(this.queue.status("q", "dead-1")).isEmpty();
		assertThat(this.queue.status("q", "dead-2")).get().extracting(JobStatus::state).isEqualTo(JobState.DEAD);
		assertThat(redis.opsForHash().keys(this.keys.idempotency())).containsExactlyInAnyOrder("key-2", "key-3",
				"key-4", "key-5");
		this.queue = queue(new JobRetention(Duration.ZERO, 0, Duration.ZERO, 1000));
		assertThat(this.queue.trim("q").dead()).isEqualTo(4);
		assertThat(redis.opsForHash().size(this.keys.jobs())).isZero();
		assertThat(redis.opsForHash().size(this.keys.idempotency())).isZero();
	}

	@Test
	void theDeadSetIsListedNewestFirstAndFilteredByNameAndReason() {
		for (int i = 0; i < 5; i++) {
			this.queue.enqueue(new NewJob("a-" + i, (i % 2 == 0) ? "even.job" : "odd.job", "q", "[\"secret\"]", 1,
					null, null, null, null));
			kill(claim(1).get(0));
		}
		this.queue.enqueue(job("poisoned", null));
		this.queue.fail(claim(1).get(0), JobError.of("unreadable", "cannot read"), null);
		JobQueue.DeadJobs all = this.queue.deadJobs("q", null, null, 0, 10);
		assertThat(all.jobs()).extracting((status) -> status.id().value())
			.containsExactly("poisoned", "a-4", "a-3", "a-2", "a-1", "a-0");
		assertThat(all.hasMore()).isFalse();
		assertThat(this.queue.deadJobs("q", "even.job", null, 0, 10).jobs()).extracting((status) -> status.id().value())
			.containsExactly("a-4", "a-2", "a-0");
		assertThat(this.queue.deadJobs("q", null, "unreadable", 0, 10).jobs()).extracting((s) -> s.id().value())
			.containsExactly("poisoned");
		JobQueue.DeadJobs page = this.queue.deadJobs("q", null, null, 2, 2);
		assertThat(page.jobs()).extracting((status) -> status.id().value()).containsExactly("a-3", "a-2");
		assertThat(page.hasMore()).isTrue();
		assertThat(page.jobs()).allSatisfy((status) -> assertThat(status.toString()).doesNotContain("secret"));
		assertThat(this.queue.deadIds("q", "odd.job", null)).containsExactly("a-3", "a-1");
	}

	@Test
	void aRetriedDeadJobGoesToTheEndOfReadyWithItsAttemptsResetAndKeepsItsKey() {
		this.queue.enqueue(job("waiting", null));
		this.queue.enqueue(job("dead", "key-d"));
		List<ClaimedJob> claimed = claim(2);
		this.queue.requeue(claimed.get(0), "test", Duration.ZERO);
		kill(claimed.get(1));
		assertThat(this.queue.retryDead("q", List.of("dead", "not-dead", "waiting"))).isEqualTo(1);
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("waiting", "dead");
		JobStatus retried = status("dead");
		assertThat(retried.state()).isEqualTo(JobState.READY);
		assertThat(retried.attempt()).isZero();
		assertThat(retried.lastError()).isNull();
		assertThat(retried.retries()).isEqualTo(1);
		assertThat(this.queue.enqueue(job("again", "key-d"))).isEqualTo("dead");
		assertThat(this.queue.retryDead("q", List.of("dead"))).isZero();
		ClaimedJob rerun = claim(2).get(1);
		assertThat(rerun.record().attempt()).isEqualTo(1);
		assertThat(rerun.record().arguments()).isEqualTo("[1]");
	}

	@Test
	void aDeletedDeadJobIsGoneAndItsKeyFreed() {
		this.queue.enqueue(job("dead", "key-d"));
		kill(claim(1).get(0));
		assertThat(this.queue.deleteDead("q", List.of("dead", "unknown"))).isEqualTo(1);
		assertThat(this.queue.status("q", "dead")).isEmpty();
		assertThat(redis.opsForZSet().size(this.keys.dead())).isZero();
		assertThat(this.queue.enqueue(job("new", "key-d"))).isEqualTo("new");
	}

	@Test
	void aWaitingJobIsCancelledAndKeptAsCancelledWithoutItsArguments() {
		this.queue.enqueue(job("ready", "key-r"));
		this.queue.enqueue(new NewJob("later", "test.job", "q", "[1]", 3, null, null, Duration.ofHours(1), null));
		assertThat(this.queue.cancel("q", "ready", false)).isEqualTo(CancelResult.CANCELLED);
		assertThat(this.queue.cancel("q", "later", false)).isEqualTo(CancelResult.CANCELLED);
		assertThat(redis.opsForList().size(this.keys.ready())).isZero();
		assertThat(redis.opsForZSet().size(this.keys.scheduled())).isZero();
		assertThat(status("ready").state()).isEqualTo(JobState.CANCELLED);
		assertThat(status("ready").finishedAt()).isNotNull();
		assertThat(this.queue.arguments("q", "ready")).isEmpty();
		assertThat(this.queue.cancel("q", "ready", false)).isEqualTo(CancelResult.FINISHED);
		assertThat(this.queue.enqueue(job("again", "key-r"))).isEqualTo("ready");
		assertThat(this.queue.cancel("q", "nobody", false)).isEqualTo(CancelResult.UNKNOWN);
		assertThat(this.queue.claim("q", 10, LEASE, "w:1").jobs()).isEmpty();
	}

	@Test
	void outcomesKeptInEitherIndexAreReadCancelledCountedAndTrimmedAlike() {
		JobRetention keepThree = new JobRetention(Duration.ofMinutes(5), 3, Duration.ofDays(7), 1000);
		RedisOutcomeLayout[] layouts = { RedisOutcomeLayout.SORTED_SET, RedisOutcomeLayout.LIST };
		for (int i = 0; i < 4; i++) {
			this.queue = queue(keepThree);
			this.queue.setOutcomeLayout(layouts[i % 2]);
			this.queue.enqueue(job("done-" + i, "key-" + i));
			complete(claim(1).get(0));
			this.queue.enqueue(job("cancelled-" + i, null));
			assertThat(this.queue.cancel("q", "cancelled-" + i, false)).isEqualTo(CancelResult.CANCELLED);
		}
		// Ended within one millisecond, a sorted set's entries go by id.
		assertThat(redis.opsForZSet().range(this.keys.finished(), 0, -1)).containsExactlyInAnyOrder("done-0",
				"cancelled-0", "done-2", "cancelled-2");
		assertThat(redis.opsForList().range(this.keys.outcomes(), 0, -1)).containsExactly("done-1", "cancelled-1",
				"done-3", "cancelled-3");
		// A list keeps succeeded outcomes compact; the sorted set, which earlier builds read, as JSON.
		assertThat((String) redis.opsForHash().get(this.keys.jobs(), "done-1")).startsWith("\u001f\u001f");
		assertThat((String) redis.opsForHash().get(this.keys.jobs(), "done-0")).startsWith("{");
		for (int i = 0; i < 4; i++) {
			JobStatus done = status("done-" + i);
			assertThat(done.state()).as("done-" + i).isEqualTo(JobState.SUCCEEDED);
			assertThat(done.finishedAt()).as("done-" + i).isAfterOrEqualTo(done.startedAt().minusSeconds(5));
			assertThat(this.queue.cancel("q", "done-" + i, true)).isEqualTo(CancelResult.FINISHED);
			assertThat(status("cancelled-" + i).state()).isEqualTo(JobState.CANCELLED);
			assertThat(status("cancelled-" + i).finishedAt()).isNotNull();
			assertThat(this.queue.enqueue(job("again-" + i, "key-" + i))).isEqualTo("done-" + i);
		}
		assertThat(status("done-3").state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(this.queue.trim("q").finished()).as("one beyond the count in each index").isEqualTo(2);
		assertThat(redis.opsForZSet().range(this.keys.finished(), 0, -1)).hasSize(3)
			.contains("done-2", "cancelled-2")
			.containsAnyOf("done-0", "cancelled-0");
		assertThat(redis.opsForList().range(this.keys.outcomes(), 0, -1)).containsExactly("cancelled-1", "done-3",
				"cancelled-3");
		assertThat(this.queue.status("q", "done-1")).isEmpty();
		assertThat(redis.opsForHash().hasKey(this.keys.idempotency(), "key-1")).isFalse();
		assertThat(this.queue.enqueue(job("again-1", "key-1"))).isEqualTo("again-1");
		this.queue = queue(new JobRetention(Duration.ZERO, 1000, Duration.ofDays(7), 1000));
		assertThat(this.queue.trim("q").finished()).as("every one past its age").isEqualTo(6);
		assertThat(redis.hasKey(this.keys.finished())).isFalse();
		assertThat(redis.hasKey(this.keys.outcomes())).isFalse();
		assertThat(redis.opsForHash().keys(this.keys.jobs())).filteredOn((id) -> !RedisJobKeys.ENCODING_PIN.equals(id))
			.containsExactly("again-1");
		assertThat(redis.opsForHash().keys(this.keys.idempotency())).containsExactly("key-1");
	}

	@Test
	void whileOutcomesGoToTheSortedSetATrimPassMovesAllTheListHoldsThereForWorkersOfEarlierBuilds() {
		this.queue = queue(new JobRetention(Duration.ofMinutes(5), 5000, Duration.ofDays(7), 1000));
		this.queue.setOutcomeLayout(RedisOutcomeLayout.LIST);
		List<NewJob> jobs = new ArrayList<>();
		for (int i = 0; i < 1200; i++) {
			jobs.add(job("job-" + i, null));
		}
		this.queue.enqueueAll(jobs);
		for (int claims = 0; claims < 2; claims++) {
			List<FinishedJob> finished = new ArrayList<>();
			for (ClaimedJob claimed : this.queue.claim("q", 1000, LEASE, "worker-1:" + claims).jobs()) {
				finished.add(new FinishedJob(claimed, Instant.now(), "worker-1"));
			}
			assertThat(this.queue.complete("q", finished)).isEmpty();
		}
		this.queue.enqueue(job("cancelled", null));
		assertThat(this.queue.cancel("q", "cancelled", false)).isEqualTo(CancelResult.CANCELLED);
		assertThat(redis.opsForList().size(this.keys.outcomes())).isEqualTo(1201);
		List<String> sampled = List.of("job-0", "job-1199", "cancelled");
		List<Instant> ended = sampled.stream().map((id) -> status(id).finishedAt()).toList();
		this.queue.setOutcomeLayout(RedisOutcomeLayout.SORTED_SET);
		assertThat(this.queue.trim("q").finished()).isZero();
		assertThat(redis.hasKey(this.keys.outcomes())).isFalse();
		assertThat(redis.opsForZSet().size(this.keys.finished())).isEqualTo(1201);
		for (int i = 0; i < sampled.size(); i++) {
			assertThat(redis.opsForZSet().score(this.keys.finished(), sampled.get(i))).as(sampled.get(i))
				.isEqualTo((double) ended.get(i).toEpochMilli());
		}
		assertThat(status("cancelled").state()).isEqualTo(JobState.CANCELLED);
		// What a worker of an earlier build reads: an outcome as JSON.
		String moved = (String) redis.opsForHash().get(this.keys.jobs(), "job-0");
		assertThat(moved).startsWith("{");
		assertThat(JsonMapper.builder().build().readTree(moved).path("state").asString()).isEqualTo("succeeded");
		assertThat(status("job-0").attempt()).isEqualTo(1);
		assertThat(status("job-0").worker()).isEqualTo("worker-1");
	}

	@Test
	void anOutcomeTheReleaseBeforeKeptIsReadCancelledAndTrimmedByItsScoreWhateverTheLayout() {
		this.queue = queue(new JobRetention(Duration.ofMinutes(5), 1000, Duration.ofDays(7), 1000));
		// As the release before wrote it: no finishedAt, the time in the sorted set's score.
		redis.opsForHash().put(this.keys.jobs(), "earlier", "{\"state\":\"succeeded\",\"name\":\"test.job\","
				+ "\"attempt\":1,\"maxAttempts\":3,\"idem\":\"key-e\",\"startedAt\":1000,\"worker\":\"old\"}");
		redis.opsForHash().put(this.keys.idempotency(), "key-e", "earlier");
		redis.opsForZSet().add(this.keys.finished(), "earlier", 2000);
		JobStatus status = status("earlier");
		assertThat(status.state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(status.finishedAt()).isEqualTo(Instant.ofEpochMilli(2000));
		assertThat(status.worker()).isEqualTo("old");
		assertThat(this.queue.cancel("q", "earlier", false)).isEqualTo(CancelResult.FINISHED);
		assertThat(this.queue.enqueue(job("again", "key-e"))).isEqualTo("earlier");
		assertThat(this.queue.trim("q").finished()).as("past its age by its score").isEqualTo(1);
		assertThat(this.queue.status("q", "earlier")).isEmpty();
		assertThat(redis.opsForHash().hasKey(this.keys.idempotency(), "key-e")).isFalse();
	}

	@Test
	void anEntryOfTheOutcomesListWhoseJobIsNoOutcomeLeavesTheListAndTheJobStays() {
		this.queue = queue(new JobRetention(Duration.ZERO, 1000, Duration.ofDays(7), 1000));
		this.queue.setOutcomeLayout(RedisOutcomeLayout.LIST);
		this.queue.enqueue(job("queued", null));
		redis.opsForList().rightPushAll(this.keys.outcomes(), "queued", "gone");
		assertThat(this.queue.trim("q").finished()).isEqualTo(2);
		assertThat(redis.hasKey(this.keys.outcomes())).isFalse();
		assertThat(status("queued").state()).isEqualTo(JobState.READY);
		this.queue.setOutcomeLayout(RedisOutcomeLayout.SORTED_SET);
		redis.opsForList().rightPushAll(this.keys.outcomes(), "queued", "gone");
		assertThat(this.queue.trim("q").finished()).as("moved to the sorted set: neither is an outcome").isZero();
		assertThat(redis.hasKey(this.keys.outcomes())).isFalse();
		assertThat(redis.hasKey(this.keys.finished())).isFalse();
		assertThat(status("queued").state()).isEqualTo(JobState.READY);
	}

	@Test
	void cancelOfADeadJobIsRefused() {
		this.queue.enqueue(job("dead", null));
		kill(claim(1).get(0));
		assertThat(this.queue.cancel("q", "dead", false)).isEqualTo(CancelResult.DEAD);
		assertThat(status("dead").state()).isEqualTo(JobState.DEAD);
	}

	@Test
	void aJobClaimedWhileItIsCancelledEitherRunsOrIsCancelledNeverBoth() throws Exception {
		int count = 2000;
		List<NewJob> jobs = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			jobs.add(job("job-" + i, null));
		}
		this.queue.enqueueAll(jobs);
		Set<String> claimed = ConcurrentHashMap.newKeySet();
		Set<String> cancelled = ConcurrentHashMap.newKeySet();
		Set<String> running = ConcurrentHashMap.newKeySet();
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			CyclicBarrier start = new CyclicBarrier(2);
			Future<?> claimer = executor.submit(() -> {
				start.await();
				int n = 0;
				while (claimed.size() + cancelled.size() < count && n++ < 100_000) {
					this.queue.claim("q", 7, LEASE, "worker-2:" + n).jobs().forEach((job) -> claimed.add(job.id()));
				}
				return null;
			});
			Future<?> canceller = executor.submit(() -> {
				start.await();
				// From the end of ready while the claims take from its front: the two meet midway.
				for (int i = count - 1; i >= 0; i -= 2) {
					CancelResult result = this.queue.cancel("q", "job-" + i, false);
					(result == CancelResult.CANCELLED ? cancelled : running).add("job-" + i);
				}
				return null;
			});
			canceller.get(60, TimeUnit.SECONDS);
			claimer.get(60, TimeUnit.SECONDS);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(cancelled).isNotEmpty().doesNotContainAnyElementsOf(claimed);
		assertThat(claimed).containsAll(running);
		assertThat(claimed.size() + cancelled.size()).isEqualTo(count);
		for (String id : cancelled) {
			assertThat(status(id).state()).isEqualTo(JobState.CANCELLED);
		}
	}

	@Test
	void aRunningJobIsToldOfItsCancelAndEndsCancelledFencedByItsToken() throws Exception {
		this.queue.enqueue(job("a", null));
		ClaimedJob claimed = claim(1).get(0);
		java.util.concurrent.BlockingQueue<CancelRequest> told = new java.util.concurrent.LinkedBlockingQueue<>();
		try (AutoCloseable subscription = this.queue.subscribe((queue) -> {
		}, told::add)) {
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> this.queue.cancel("q", "a", true) == CancelResult.CANCELLING && !told.isEmpty());
		}
		assertThat(told.peek()).isEqualTo(new CancelRequest("a", true));
		assertThat(this.queue.cancelRequests("q", List.of(claimed))).containsEntry("a", true);
		assertThat(status("a").state()).isEqualTo(JobState.RUNNING);
		assertThat(this.queue.cancelled(claimed.withToken("stale"))).isFalse();
		assertThat(this.queue.cancelled(claimed)).isTrue();
		JobStatus cancelled = status("a");
		assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
		assertThat(cancelled.attempt()).isEqualTo(1);
		assertThat(this.queue.arguments("q", "a")).isEmpty();
		assertThat(redis.hasKey(this.keys.cancels())).isFalse();
		assertThat(redis.opsForZSet().size(this.keys.leases())).isZero();
	}

	@Test
	void aJobWhoseCancelCameTooLateSucceedsAndTheRequestIsDropped() {
		this.queue.enqueue(job("a", null));
		ClaimedJob claimed = claim(1).get(0);
		assertThat(this.queue.cancel("q", "a", false)).isEqualTo(CancelResult.CANCELLING);
		complete(claimed);
		assertThat(status("a").state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(redis.hasKey(this.keys.cancels())).isFalse();
	}

	@Test
	void aSecondCopyOfAnEndedJobsIdOnReadyLeavesItsOutcomeAsItWas() {
		this.queue.enqueue(job("a", "key-a"));
		complete(claim(1).get(0));
		this.queue.enqueue(job("b", null));
		assertThat(this.queue.cancel("q", "b", false)).isEqualTo(CancelResult.CANCELLED);
		String succeeded = this.redis.<String, String>opsForHash().get(this.keys.jobs(), "a");
		String cancelled = this.redis.<String, String>opsForHash().get(this.keys.jobs(), "b");
		// A copy of each id on ready again, as a hand-made push or a replayed write leaves it.
		this.redis.opsForList().rightPushAll(this.keys.ready(), "a", "b");
		for (ClaimedJob copy : claim(2)) {
			assertThat(copy.unreadable()).as(copy.id()).isNotNull();
			assertThat(this.queue.fail(copy, JobError.of("unreadable", copy.unreadable()), null)).as(copy.id())
				.isFalse();
		}
		assertThat(status("a").state()).isEqualTo(JobState.SUCCEEDED);
		assertThat(status("b").state()).isEqualTo(JobState.CANCELLED);
		assertThat(this.redis.<String, String>opsForHash().get(this.keys.jobs(), "a")).isEqualTo(succeeded);
		assertThat(this.redis.<String, String>opsForHash().get(this.keys.jobs(), "b")).isEqualTo(cancelled);
		assertThat(this.redis.opsForZSet().size(this.keys.dead())).isZero();
		assertThat(this.redis.hasKey(this.keys.owners())).as("the copies' leases released").isFalse();
		assertThat(this.queue.enqueue(job("c", "key-a"))).as("the outcome holds its key").isEqualTo("a");
	}

	@Test
	void aCopyOfADeadJobsIdOnReadyLeavesItDeadAsItWas() {
		this.queue.enqueue(job("d", null));
		kill(claim(1).get(0));
		String dead = this.redis.<String, String>opsForHash().get(this.keys.jobs(), "d");
		this.redis.opsForList().rightPush(this.keys.ready(), "d");
		ClaimedJob copy = claim(1).get(0);
		assertThat(copy.record()).as("a dead job's copy is not run").isNull();
		assertThat(this.queue.fail(copy, JobError.of("unreadable", copy.unreadable()), null)).isFalse();
		assertThat(status("d").state()).isEqualTo(JobState.DEAD);
		assertThat(this.redis.<String, String>opsForHash().get(this.keys.jobs(), "d")).isEqualTo(dead);
		assertThat(this.redis.opsForZSet().range(this.keys.dead(), 0, -1)).containsExactly("d");
		assertThat(this.redis.hasKey(this.keys.owners())).isFalse();
		assertThat(this.queue.retryDead("q", List.of("d"))).isEqualTo(1);
		assertThat(claim(1).get(0).record()).as("a retried dead job runs").isNotNull();
	}

	@Test
	void aJobCancelledWhileItRanAndGivenBackSinceIsCancelledByTheNextClaim() {
		this.queue.enqueue(job("a", null));
		this.queue.enqueue(job("b", null));
		List<ClaimedJob> claimed = claim(2);
		assertThat(this.queue.cancel("q", "a", false)).isEqualTo(CancelResult.CANCELLING);
		assertThat(this.queue.requeue(claimed.get(0), "shutdown", Duration.ZERO)).isTrue();
		assertThat(this.queue.requeue(claimed.get(1), "shutdown", Duration.ZERO)).isTrue();
		List<ClaimedJob> again = this.queue.claim("q", 10, LEASE, "worker-1:again").jobs();
		assertThat(again).extracting(ClaimedJob::id).containsExactly("b");
		assertThat(status("a").state()).isEqualTo(JobState.CANCELLED);
		assertThat(redis.hasKey(this.keys.cancels())).isFalse();
	}

	/**
	 * The layout new records are written in; every test runs with each (see the subclass).
	 */
	RedisRecordLayout layout() {
		return RedisRecordLayout.JSON;
	}

	RedisOutcomeLayout outcomeLayout() {
		return RedisOutcomeLayout.SORTED_SET;
	}

	private RedisJobQueue queue(JobRetention retention) {
		RedisJobQueue queue = new RedisJobQueue(connectionFactory, "gw", 0, Duration.ofSeconds(1), retention);
		queue.setRecordLayout(layout());
		queue.setOutcomeLayout(outcomeLayout());
		return queue;
	}

	// The kept outcomes' ids, oldest first, from the index the layout writes; the other is empty.
	private List<String> keptIds() {
		List<String> sorted = List.copyOf(redis.opsForZSet().range(this.keys.finished(), 0, -1));
		List<String> listed = redis.opsForList().range(this.keys.outcomes(), 0, -1);
		assertThat((outcomeLayout() == RedisOutcomeLayout.LIST) ? sorted : listed).isEmpty();
		return (outcomeLayout() == RedisOutcomeLayout.LIST) ? listed : sorted;
	}

	private JobStatus status(String id) {
		return this.queue.status("q", id).orElseThrow();
	}

	private List<ClaimedJob> claim(int max) {
		List<ClaimedJob> jobs = this.queue.claim("q", max, LEASE, "worker-1:" + java.util.UUID.randomUUID()).jobs();
		assertThat(jobs).hasSize(max);
		return jobs;
	}

	private void complete(ClaimedJob job) {
		assertThat(this.queue.complete("q", List.of(new FinishedJob(job, Instant.now(), "worker-1")))).isEmpty();
	}

	private void kill(ClaimedJob job) {
		assertThat(this.queue.fail(job, JobError.of("failed", new IllegalStateException("last")), null)).isTrue();
	}

	private static NewJob job(String id, String idempotencyKey) {
		return new NewJob(id, "test.job", "q", "[1]", 3, idempotencyKey, null, null, null);
	}

}
