package io.gracefulworker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gracefulworker.CancelResult;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobError;
import io.gracefulworker.core.ClaimResult;
import io.gracefulworker.core.QueueStats;
import io.gracefulworker.core.RecoverResult;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each Lua script of the Redis job queue, against a real Redis.
 */
@ExtendWith(RedisExtension.class)
class RedisJobQueueIntegrationTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private LettuceConnectionFactory connectionFactory;

	StringRedisTemplate redis;

	private final JsonMapper json = JsonMapper.builder().build();

	RedisJobQueue queue;

	RedisJobKeys keys;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.connectionFactory = factory;
		this.redis = new StringRedisTemplate(factory);
		this.queue = new RedisJobQueue(connectionFactory, "gw");
		this.queue.setRecordLayout(layout());
		this.queue.setLeaseLayout(leaseLayout());
		this.keys = this.queue.keys("q");
	}

	/**
	 * The layout new records are written in; every test runs with each (see the subclass).
	 */
	RedisRecordLayout layout() {
		return RedisRecordLayout.JSON;
	}

	/**
	 * How the queue's claims keep their leases; every test runs with each (see the subclass).
	 */
	RedisLeaseLayout leaseLayout() {
		return RedisLeaseLayout.PER_JOB;
	}

	@Test
	void keysOfOneQueueShareOneHashTag() {
		assertThat(List.of(this.keys.ready(), this.keys.scheduled(), this.keys.leases(), this.keys.owners(), this.keys.holders(),
				this.keys.dead(), this.keys.jobs(), this.keys.idempotency()))
			.allSatisfy((key) -> assertThat(key).startsWith("gw:{q}:"));
	}

	@Test
	void enqueueStoresTheRecordAndPushesTheIdToReady() {
		String id = this.queue.enqueue(job("a", null));
		assertThat(id).isEqualTo("a");
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("a");
		String raw = (String) redis.opsForHash().get(this.keys.jobs(), "a");
		assertThat(raw.charAt(0)).isEqualTo((layout() == RedisRecordLayout.COMPACT) ? RedisCompactRecords.MARK : '{');
		JsonNode record = record("a");
		assertThat(record.get("name").asString()).isEqualTo("test.job");
		assertThat(record.get("args").asString()).isEqualTo("[1]");
		assertThat(record.get("enqueuedAt").asLong()).isCloseTo(System.currentTimeMillis(),
				org.assertj.core.data.Offset.offset(60_000L));
	}

	@Test
	void enqueueWithAnIdempotencyKeyReturnsTheFirstJobWhileItExists() {
		assertThat(this.queue.enqueue(job("first", "key-1"))).isEqualTo("first");
		assertThat(this.queue.enqueue(job("second", "key-1"))).isEqualTo("first");
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("first");
		assertThat(redis.opsForHash().hasKey(this.keys.jobs(), "second")).isFalse();
		ClaimedJob claimed = claimOne();
		assertThat(complete(claimed)).isTrue();
		assertThat(this.queue.enqueue(job("third", "key-1"))).isEqualTo("third");
	}

	@Test
	void aScheduledJobKeepsAnIdempotencyKeyOfAnyCharactersItsDueTimeAndItsPlace() {
		String key = "order:42:\nline 2: €";
		Instant due = Instant.now().plusSeconds(3600);
		assertThat(this.queue.enqueue(new NewJob("at", "test.job", "q", "[]", 3, key, due, null, null))).isEqualTo("at");
		assertThat(this.queue.enqueue(new NewJob("again", "test.job", "q", "[]", 3, key, null, null, null)))
			.isEqualTo("at");
		this.queue.enqueue(new NewJob("delayed", "test.job", "q", "[]", 3, null, null, Duration.ofHours(2), null));
		assertThat(redis.opsForHash().get(this.keys.idempotency(), key)).isEqualTo("at");
		assertThat(redis.opsForZSet().score(this.keys.scheduled(), "at")).isEqualTo((double) due.toEpochMilli());
		assertThat(redis.opsForZSet().score(this.keys.scheduled(), "delayed"))
			.isGreaterThan((double) due.toEpochMilli());
		assertThat(redis.opsForList().size(this.keys.ready())).isZero();
		assertThat(redis.opsForHash().hasKey(this.keys.jobs(), "again")).isFalse();
	}

	@Test
	void concurrentEnqueuesWithOneIdempotencyKeyStoreOneJob() throws Exception {
		List<String> ids = enqueueConcurrently(32, 1, (thread, n) -> job("job-" + thread, "key-1"));
		assertThat(Set.copyOf(ids)).hasSize(1);
		assertThat(redis.opsForHash().size(this.keys.jobs())).isEqualTo(1);
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyElementsOf(Set.copyOf(ids));
	}

	@Test
	void concurrentEnqueuesGoToRedisTogetherAndEachReturnsItsOwnId() throws Exception {
		long scriptsBefore = scriptCalls();
		List<String> ids = enqueueConcurrently(64, 50, (thread, n) -> job("job-" + thread + "-" + n, null));
		assertThat(ids).hasSize(3200).doesNotHaveDuplicates()
			.allSatisfy((id) -> assertThat(id).startsWith("job-"));
		assertThat(redis.opsForList().size(this.keys.ready())).isEqualTo(3200);
		assertThat(redis.opsForHash().keys(this.keys.jobs())).filteredOn((id) -> !RedisJobKeys.ENCODING_PIN.equals(id))
			.hasSize(3200);
		assertThat(scriptCalls() - scriptsBefore).isLessThan(3200);
	}

	private List<String> enqueueConcurrently(int threads, int perThread,
			java.util.function.BiFunction<Integer, Integer, NewJob> job) throws Exception {
		java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(threads);
		try {
			java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
			List<java.util.concurrent.Future<List<String>>> futures = new java.util.ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> {
					start.await();
					List<String> stored = new java.util.ArrayList<>();
					for (int n = 0; n < perThread; n++) {
						NewJob next = job.apply(thread, n);
						String id = this.queue.enqueue(next);
						assertThat(id).isEqualTo((next.idempotencyKey() != null) ? id : next.id());
						stored.add(id);
					}
					return stored;
				}));
			}
			List<String> ids = new java.util.ArrayList<>();
			for (java.util.concurrent.Future<List<String>> future : futures) {
				ids.addAll(future.get(60, java.util.concurrent.TimeUnit.SECONDS));
			}
			return ids;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private long scriptCalls() {
		java.util.Properties stats = redis.execute((org.springframework.data.redis.core.RedisCallback<java.util.Properties>) (
				connection) -> connection.serverCommands().info("commandstats"));
		String evalsha = (stats != null) ? stats.getProperty("cmdstat_evalsha") : null;
		String eval = (stats != null) ? stats.getProperty("cmdstat_eval") : null;
		return calls(evalsha) + calls(eval);
	}

	private static long calls(String stat) {
		if (stat == null) {
			return 0;
		}
		String calls = stat.substring(stat.indexOf("calls=") + 6);
		return Long.parseLong(calls.substring(0, calls.indexOf(',')));
	}

	@Test
	void scheduledJobIsNotClaimedBeforeItIsDueAndIsAfterwards() {
		this.queue.enqueue(new NewJob("later", "test.job", "q", "[]", 3, null, null, Duration.ofMillis(300), null));
		this.queue.enqueue(new NewJob("future", "test.job", "q", "[]", 3, null, Instant.now().plusSeconds(3600), null, null));
		ClaimResult early = this.queue.claim("q", 10, LEASE, "w:1");
		assertThat(early.jobs()).isEmpty();
		assertThat(early.nextDue()).isNotNull().isLessThanOrEqualTo(Duration.ofMillis(300));
		assertThat(redis.opsForZSet().size(this.keys.scheduled())).isEqualTo(2);
		List<ClaimedJob> claimed = new CopyOnWriteArrayList<>();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> claimed.addAll(this.queue.claim("q", 10, LEASE, "w:2").jobs()) || !claimed.isEmpty());
		assertThat(claimed).extracting(ClaimedJob::id).containsExactly("later");
		assertThat(redis.opsForZSet().range(this.keys.scheduled(), 0, -1)).containsExactly("future");
	}

	@Test
	void aBatchStoresPlainJobsUnderTheirIdsAndAJobWithAnIdempotencyKeyOnce() {
		assertThat(this.queue.enqueueAll(List.of(job("p1", null), job("p2", null)))).containsExactly("p1", "p2");
		assertThat(this.queue.enqueueAll(List.of(job("m1", null), job("k1", "key"), job("k2", "key"), job("m2", null))))
			.containsExactly("m1", "k1", "k1", "m2");
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("p1", "p2", "m1", "k1", "m2");
		assertThat(redis.opsForHash().keys(this.keys.jobs())).containsExactlyInAnyOrder("p1", "p2", "m1", "k1", "m2");
		assertThat(record("p2").get("name").asString()).isEqualTo("test.job");
		assertThat(record("k1").get("idem").asString()).isEqualTo("key");
	}

	@Test
	void aBatchWithADelayedJobStoresEachIdempotencyKeyOnceAndNamesTheJobAStoredKeyNames() {
		this.queue.enqueue(job("stored", "old-key"));
		NewJob delayed = new NewJob("d1", "test.job", "q", "[1]", 3, "key", null, Duration.ofHours(1), null);
		assertThat(this.queue.enqueueAll(List.of(delayed, job("k2", "key"), job("k3", "old-key"), job("m", null))))
			.containsExactly("d1", "d1", "stored", "m");
		assertThat(redis.opsForZSet().range(this.keys.scheduled(), 0, -1)).containsExactly("d1");
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("stored", "m");
		assertThat(redis.opsForHash().keys(this.keys.jobs())).containsExactlyInAnyOrder("stored", "d1", "m");
		assertThat(redis.opsForHash().entries(this.keys.idempotency())).isEqualTo(Map.of("key", "d1", "old-key", "stored"));
	}

	@Test
	void aClaimOfThousandsTakesAThousandAndTheNextClaimTheRest() {
		List<NewJob> jobs = new java.util.ArrayList<>();
		// More ids than Lua can unpack into one command.
		for (int i = 0; i < 9500; i++) {
			jobs.add(job("bulk-" + i, null));
		}
		this.queue.enqueueAll(jobs);
		for (int claim = 1; claim <= 9; claim++) {
			assertThat(this.queue.claim("q", 10_000, LEASE, "w:" + claim).jobs()).hasSize(1000);
		}
		assertThat(this.queue.claim("q", 10_000, LEASE, "w:10").jobs()).hasSize(500);
		assertThat(leased()).isEqualTo(9500);
	}

	@Test
	void claimLeasesEachJobWithTheClaimsTokenAndCountsTheAttempt() {
		this.queue.enqueue(job("a", null));
		this.queue.enqueue(job("b", null));
		this.queue.enqueue(job("c", null));
		ClaimResult result = this.queue.claim("q", 2, LEASE, "worker-1:7");
		assertThat(result.jobs()).extracting(ClaimedJob::id).containsExactly("a", "b");
		assertThat(result.jobs()).extracting(ClaimedJob::token).containsExactly("worker-1:7:1", "worker-1:7:1");
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("c");
		assertThat(owners()).isEqualTo(Map.of("a", "worker-1:7:1", "b", "worker-1:7:1"));
		Double expiry = leaseOf("a");
		assertThat(expiry).isCloseTo(System.currentTimeMillis() + LEASE.toMillis(),
				org.assertj.core.data.Offset.offset(60_000.0));
		assertThat(result.jobs().get(0).record().attempt()).isEqualTo(1);
		// The claim does not rewrite the record, which counts attempts that ended: none yet.
		assertThat(record("a").has("attempt")).isFalse();
		assertThat(this.queue.fail(result.jobs().get(0), JobError.of("failed", "boom"), Duration.ZERO)).isTrue();
		assertThat(record("a").get("attempt").asInt()).isEqualTo(1);
		ClaimedJob[] again = new ClaimedJob[1];
		await().atMost(Duration.ofSeconds(5)).until(() -> {
			this.queue.claim("q", 2, LEASE, "worker-1:8")
				.jobs()
				.stream()
				.filter((job) -> job.id().equals("a"))
				.forEach((job) -> again[0] = job);
			return again[0] != null;
		});
		assertThat(again[0].record().attempt()).isEqualTo(2);
		assertThat(this.queue.requeue(again[0], "shutdown", Duration.ZERO)).isTrue();
		assertThat(record("a").get("attempt").asInt()).as("a requeue counts no attempt").isEqualTo(1);
	}

	@Test
	void fromTheEighthRunningJobTheOwnersAndLeasesKeepHashedEncodingsAndAnIdleQueueKeepsNeither() {
		for (int i = 0; i < 10; i++) {
			this.queue.enqueue(job("job-" + i, null));
		}
		List<ClaimedJob> few = this.queue.claim("q", 2, LEASE, "w:1").jobs();
		assertThat(encoding(this.keys.owners())).isEqualTo("listpack");
		assertThat(redis.opsForHash().hasKey(this.keys.owners(), RedisJobKeys.ENCODING_PIN)).isFalse();
		List<ClaimedJob> more = this.queue.claim("q", 8, LEASE, "w:2").jobs();
		assertThat(more).hasSize(8);
		assertThat(encoding(this.keys.owners())).isEqualTo("hashtable");
		assertThat(redis.opsForHash().get(this.keys.owners(), RedisJobKeys.ENCODING_PIN)).isNotNull();
		if (leaseLayout() == RedisLeaseLayout.PER_JOB) {
			assertThat(encoding(this.keys.leases())).isEqualTo("skiplist");
			assertThat(redis.opsForZSet().score(this.keys.leases(), RedisJobKeys.ENCODING_PIN))
				.isEqualTo(Double.POSITIVE_INFINITY);
		}
		else {
			assertThat(redis.hasKey(this.keys.leases())).isFalse();
		}
		assertThat(this.queue.stats("q").leased()).isEqualTo(10);
		assertThat(this.queue.recover("q", 10).recovered()).isZero();
		assertThat(this.queue.complete("q", finished(few))).isEmpty();
		assertThat(this.queue.fail(more.get(0), JobError.of("failed", "boom"), null)).isTrue();
		assertThat(this.queue.complete("q", finished(more.subList(1, 7)))).isEmpty();
		assertThat(encoding(this.keys.owners())).isEqualTo("hashtable");
		assertThat(this.queue.requeue(more.get(7), "shutdown", Duration.ZERO)).isTrue();
		assertThat(redis.hasKey(this.keys.owners())).isFalse();
		assertThat(redis.hasKey(this.keys.leases())).isFalse();
		assertThat(this.queue.stats("q").leased()).isZero();
	}

	@Test
	void fromTheEighthShortRecordStoredTheJobsHashKeepsItsHashedEncodingAndAnEmptyQueueKeepsNone() {
		boolean shortRecords = layout() == RedisRecordLayout.COMPACT;
		this.queue.enqueue(job("job-0", null));
		this.queue.enqueue(job("job-1", null));
		assertThat(encoding(this.keys.jobs())).isEqualTo(shortRecords ? "listpack" : "hashtable");
		assertThat(redis.opsForHash().hasKey(this.keys.jobs(), RedisJobKeys.ENCODING_PIN)).isFalse();
		for (int i = 2; i < 8; i++) {
			this.queue.enqueue(job("job-" + i, null));
		}
		assertThat(encoding(this.keys.jobs())).isEqualTo("hashtable");
		assertThat(redis.opsForHash().hasKey(this.keys.jobs(), RedisJobKeys.ENCODING_PIN)).isEqualTo(shortRecords);
		assertThat(this.queue.status("q", RedisJobKeys.ENCODING_PIN)).isEmpty();
		assertThat(this.queue.cancel("q", RedisJobKeys.ENCODING_PIN, false)).isEqualTo(CancelResult.UNKNOWN);
		List<ClaimedJob> claimed = this.queue.claim("q", 8, LEASE, "w:1").jobs();
		assertThat(claimed).extracting(ClaimedJob::id).containsExactly("job-0", "job-1", "job-2", "job-3", "job-4",
				"job-5", "job-6", "job-7");
		assertThat(this.queue.complete("q", finished(claimed.subList(0, 7)))).isEmpty();
		assertThat(redis.hasKey(this.keys.jobs())).isTrue();
		assertThat(this.queue.complete("q", finished(claimed.subList(7, 8)))).isEmpty();
		assertThat(redis.hasKey(this.keys.jobs())).isFalse();
		// A batch of eight pins at once; the records of jobs that died are let go by the trim.
		List<NewJob> batch = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			batch.add(new NewJob("batch-" + i, "test.job", "q", "[1]", 1, null, null, null, null));
		}
		this.queue.enqueueAll(batch);
		assertThat(redis.opsForHash().hasKey(this.keys.jobs(), RedisJobKeys.ENCODING_PIN)).isEqualTo(shortRecords);
		for (ClaimedJob job : this.queue.claim("q", 8, LEASE, "w:2").jobs()) {
			assertThat(this.queue.fail(job, JobError.of("failed", "boom"), null)).isTrue();
		}
		RedisJobQueue keepingNone = new RedisJobQueue(this.connectionFactory, "gw", 0, Duration.ZERO,
				new JobRetention(Duration.ZERO, 0, Duration.ZERO, 0));
		assertThat(keepingNone.trim("q").dead()).isEqualTo(8);
		assertThat(redis.hasKey(this.keys.jobs())).isFalse();
	}

	@Test
	void fromTheEighthShortIdempotencyKeyTheKeysKeepTheirHashedEncodingAndTheLastKeyFreedTakesThePin() {
		for (int i = 0; i < 2; i++) {
			this.queue.enqueue(job("job-" + i, "key-" + i));
		}
		assertThat(encoding(this.keys.idempotency())).isEqualTo("listpack");
		List<NewJob> batch = new ArrayList<>();
		for (int i = 2; i < 8; i++) {
			batch.add(job("job-" + i, "key-" + i));
		}
		this.queue.enqueueAll(batch);
		assertThat(encoding(this.keys.idempotency())).isEqualTo("hashtable");
		assertThat(redis.opsForHash().get(this.keys.idempotency(), RedisJobKeys.ENCODING_PIN)).isEqualTo("-");
		assertThat(this.queue.enqueue(job("again", "key-3"))).isEqualTo("job-3");
		List<ClaimedJob> claimed = this.queue.claim("q", 8, LEASE, "w:1").jobs();
		assertThat(claimed).hasSize(8);
		assertThat(this.queue.complete("q", finished(claimed.subList(0, 7)))).isEmpty();
		assertThat(redis.opsForHash().keys(this.keys.idempotency())).containsExactlyInAnyOrder("key-7",
				RedisJobKeys.ENCODING_PIN);
		assertThat(this.queue.complete("q", finished(claimed.subList(7, 8)))).isEmpty();
		assertThat(redis.hasKey(this.keys.idempotency())).isFalse();
	}

	@Test
	void completeIsRefusedForAStaleTokenAndRemovesTheJobForTheOwner() {
		this.queue.enqueue(job("a", null));
		ClaimedJob claimed = claimOne();
		ClaimedJob stale = claimed.withToken("other:1:1");
		assertThat(complete(stale)).isFalse();
		assertThat(leased()).isEqualTo(1);
		assertThat(complete(claimed)).isTrue();
		assertThat(leased()).isZero();
		assertThat(redis.opsForHash().size(this.keys.owners())).isZero();
		assertThat(redis.opsForHash().size(this.keys.jobs())).isZero();
		assertThat(complete(claimed)).isFalse();
	}

	@Test
	void completeAllRemovesOwnedJobsInOneScriptAndRefusesStaleTokens() {
		this.queue.enqueue(job("a", "key-a"));
		this.queue.enqueue(job("b", null));
		this.queue.enqueue(job("c", null));
		List<ClaimedJob> claimed = this.queue.claim("q", 3, LEASE, "w:1").jobs();
		List<ClaimedJob> finished = List.of(claimed.get(0), claimed.get(1), claimed.get(2).withToken("stale"));
		assertThat(this.queue.complete("q", finished(finished))).containsExactly("c");
		assertThat(redis.opsForHash().keys(this.keys.jobs())).containsExactly("c");
		assertThat(owners()).containsOnlyKeys("c");
		assertThat(leaseOf("c")).isNotNull();
		assertThat(leaseOf("a")).isNull();
		assertThat(redis.opsForHash().hasKey(this.keys.idempotency(), "key-a")).isFalse();
		assertThat(this.queue.complete("q", finished(List.of(claimed.get(2))))).isEmpty();
		assertThat(redis.opsForHash().size(this.keys.jobs())).isZero();
	}

	@Test
	void completeAllChecksEachJobsTokenAcrossTheClaimsOfTheBatch() {
		for (String id : List.of("a", "b", "c", "d", "e")) {
			this.queue.enqueue(job(id, null));
		}
		List<ClaimedJob> first = this.queue.claim("q", 2, LEASE, "w:1").jobs();
		List<ClaimedJob> second = this.queue.claim("q", 3, LEASE, "w:2").jobs();
		List<ClaimedJob> finished = List.of(first.get(0), second.get(0).withToken("w:1:1"), first.get(1),
				second.get(1), second.get(2).withToken("w:3:1"));
		assertThat(this.queue.complete("q", finished(finished))).containsExactlyInAnyOrder("c", "e");
		assertThat(owners()).containsOnlyKeys("c", "e");
		assertThat(this.queue.complete("q", finished(List.of(second.get(0), second.get(2))))).isEmpty();
		assertThat(owners()).isEmpty();
	}

	@Test
	void failSchedulesARetryWithTheErrorOrMovesTheJobToDead() {
		this.queue.enqueue(job("a", null));
		ClaimedJob first = claimOne();
		assertThat(this.queue.fail(first.withToken("stale"),
				JobError.of("failed", "x"), Duration.ZERO)).isFalse();
		assertThat(this.queue.fail(first, JobError.of("failed", new IllegalStateException("boom")),
				Duration.ofMillis(50))).isTrue();
		assertThat(redis.opsForZSet().range(this.keys.scheduled(), 0, -1)).containsExactly("a");
		assertThat(leased()).isZero();
		JsonNode error = record("a").get("error");
		assertThat(error.get("type").asString()).isEqualTo(IllegalStateException.class.getName());
		assertThat(error.get("message").asString()).isEqualTo("boom");
		assertThat(error.get("stack").asString()).contains("RedisJobQueueIntegrationTests");
		List<ClaimedJob> retried = new CopyOnWriteArrayList<>();
		await().atMost(Duration.ofSeconds(5)).until(() -> retried.addAll(this.queue.claim("q", 1, LEASE, "w:9").jobs()));
		assertThat(retried.get(0).record().attempt()).isEqualTo(2);
		assertThat(this.queue.fail(retried.get(0), JobError.of("failed", "again"), null)).isTrue();
		assertThat(redis.opsForZSet().range(this.keys.dead(), 0, -1)).containsExactly("a");
		assertThat(record("a").get("error").get("message").asString()).isEqualTo("again");
		assertThat(record("a").get("deadAt").asLong()).isPositive();
	}

	@Test
	void requeuePutsTheJobAtTheFrontWithoutCountingTheAttempt() {
		this.queue.enqueue(job("a", null));
		this.queue.enqueue(job("b", null));
		ClaimedJob claimed = claimOne();
		assertThat(this.queue.requeue(claimed.withToken("stale"), "shutdown", Duration.ZERO))
			.isFalse();
		assertThat(this.queue.requeue(claimed, "shutdown", Duration.ZERO)).isTrue();
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("a", "b");
		JsonNode record = record("a");
		assertThat(record.has("attempt")).as("no attempt ended").isFalse();
		assertThat(record.get("requeueReason").asString()).isEqualTo("shutdown");
		assertThat(record.get("requeues").asInt()).isEqualTo(1);
		assertThat(complete(claimed)).isFalse();
		ClaimedJob again = claimOne();
		assertThat(again.record().attempt()).isEqualTo(1);
	}

	@Test
	void requeueWithADelaySchedulesTheJobAndMarksAnUnknownName() {
		this.queue.enqueue(job("a", null));
		ClaimedJob claimed = claimOne();
		assertThat(this.queue.requeue(claimed, "unknown-job", Duration.ofSeconds(10))).isTrue();
		assertThat(redis.opsForZSet().range(this.keys.scheduled(), 0, -1)).containsExactly("a");
		assertThat(record("a").get("unknownSince").asLong()).isPositive();
	}

	@Test
	void heartbeatExtendsOwnedLeasesAndReportsLostOnes() {
		this.queue.enqueue(job("a", null));
		this.queue.enqueue(job("b", null));
		ClaimResult claimed = this.queue.claim("q", 2, Duration.ofSeconds(1), "w:1");
		ClaimedJob a = claimed.jobs().get(0);
		ClaimedJob b = claimed.jobs().get(1);
		Double before = leaseOf("a");
		Set<String> lost = this.queue.heartbeat("q",
				List.of(a, b.withToken("stale")), Duration.ofMinutes(10));
		assertThat(lost).containsExactly("b");
		assertThat(leaseOf("a")).isGreaterThan(before + 60_000);
		assertLeaseNotRenewedForAStaleToken("b", before);
	}

	@Test
	void recoverMovesExpiredLeasesBackToReadyAndFencesTheOldOwner() {
		this.queue.enqueue(job("a", null));
		ClaimedJob dying = this.queue.claim("q", 1, Duration.ofMillis(50), "dead-worker:1").jobs().get(0);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.queue.recover("q", 3).recovered() == 1);
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("a");
		assertThat(record("a").get("recoveries").asInt()).isEqualTo(1);
		ClaimedJob taken = claimOne();
		assertThat(complete(dying)).isFalse();
		assertThat(complete(taken)).isTrue();
	}

	@Test
	void recoverMovesAJobWhoseLeaseExpiredTooOftenToDeadAsAPoisonPill() {
		this.queue.enqueue(job("a", null));
		for (int i = 0; i < 2; i++) {
			this.queue.claim("q", 1, Duration.ofMillis(1), "w:" + i);
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				RecoverResult result = this.queue.recover("q", 1);
				return result.recovered() + result.dead() == 1;
			});
		}
		assertThat(redis.opsForZSet().range(this.keys.dead(), 0, -1)).containsExactly("a");
		assertThat(record("a").get("error").get("reason").asString()).isEqualTo("poison");
		assertThat(redis.opsForList().size(this.keys.ready())).isZero();
	}

	@Test
	void claimMovesMissingRecordsToDeadAndReturnsUnreadableOnesWithTheReasonForTheWorkerToBury() {
		redis.opsForHash().put(this.keys.jobs(), "garbage", "{not json");
		redis.opsForList().rightPushAll(this.keys.ready(), "garbage", "nothing");
		this.queue.enqueue(job("good", null));
		ClaimResult result = this.queue.claim("q", 10, LEASE, "w:1");
		assertThat(result.jobs()).extracting(ClaimedJob::id).containsExactly("garbage", "good");
		ClaimedJob garbage = result.jobs().get(0);
		assertThat(garbage.unreadable()).startsWith("Job record is not JSON");
		assertThat(redis.opsForZSet().range(this.keys.dead(), 0, -1)).containsExactly("nothing");
		assertThat(this.queue.fail(garbage, JobError.of("unreadable", garbage.unreadable()), null)).isTrue();
		assertThat(redis.opsForZSet().range(this.keys.dead(), 0, -1)).containsExactlyInAnyOrder("garbage", "nothing");
		assertThat(record("garbage").get("raw").asString()).isEqualTo("{not json");
		assertThat(record("garbage").get("error").get("reason").asString()).isEqualTo("unreadable");
		assertThat(record("nothing").get("error").get("reason").asString()).isEqualTo("missing");
	}

	@Test
	void claimReturnsAJsonRecordThatIsNotAJobAsUnreadableWithTheReason() {
		redis.opsForHash().put(this.keys.jobs(), "nameless", "{\"args\":\"[]\"}");
		redis.opsForList().rightPush(this.keys.ready(), "nameless");
		ClaimedJob claimed = claimOne();
		assertThat(claimed.id()).isEqualTo("nameless");
		assertThat(claimed.record()).isNull();
		assertThat(claimed.unreadable()).isEqualTo("Job record has no 'name'");
	}

	@Test
	void anIdThatIsNotUtf8GoesToTheDeadSetAtOnceWithTheReason() {
		byte[] id = { 'b', 'a', 'd', (byte) 0xC3, (byte) 0x28 };
		byte[] ready = this.keys.ready().getBytes(StandardCharsets.UTF_8);
		byte[] jobs = this.keys.jobs().getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.hashCommands().hSet(jobs, id, "{\"name\":\"test.job\",\"args\":\"[]\"}".getBytes());
			connection.listCommands().rPush(ready, id);
			this.queue.enqueue(job("good", null));
			assertThat(this.queue.claim("q", 10, LEASE, "w:1").jobs()).extracting(ClaimedJob::id)
				.containsExactly("good");
			assertThat(connection.zSetCommands().zScore(this.keys.dead().getBytes(StandardCharsets.UTF_8), id))
				.isNotNull();
			assertThat(new String(connection.hashCommands().hGet(jobs, id), StandardCharsets.UTF_8))
				.contains("invalid-id");
		}
	}

	@Test
	void anIdInUtf8BeyondAsciiIsClaimedBesideOneThatIsNotUtf8() {
		byte[] id = { 'b', 'a', 'd', (byte) 0xFF };
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.hashCommands()
				.hSet(this.keys.jobs().getBytes(StandardCharsets.UTF_8), id,
						"{\"name\":\"test.job\",\"args\":\"[]\"}".getBytes());
			connection.listCommands().rPush(this.keys.ready().getBytes(StandardCharsets.UTF_8), id);
		}
		this.queue.enqueue(job("caf\u00e9-\u4e2d-\ud83d\ude00", null));
		assertThat(this.queue.claim("q", 10, LEASE, "w:1").jobs()).extracting(ClaimedJob::id)
			.containsExactly("caf\u00e9-\u4e2d-\ud83d\ude00");
		assertThat(redis.opsForZSet().size(this.keys.dead())).isEqualTo(1);
	}

	@Test
	void theSameIdTwiceOnReadyIsLeasedOnce() {
		this.queue.enqueue(job("a", null));
		redis.opsForList().rightPush(this.keys.ready(), "a");
		ClaimResult result = this.queue.claim("q", 10, LEASE, "w:1");
		assertThat(result.jobs()).extracting(ClaimedJob::id).containsExactly("a");
		assertThat(redis.opsForList().size(this.keys.ready())).isZero();
		assertThat(this.queue.claim("q", 10, LEASE, "w:2").jobs()).isEmpty();
	}

	@Test
	void theSameIdTwiceInAClaimThatPinsTheOwnersIsLeasedOnce() {
		for (int i = 0; i < 10; i++) {
			this.queue.enqueue(job("j" + i, null));
		}
		redis.opsForList().rightPush(this.keys.ready(), "j3");
		ClaimResult result = this.queue.claim("q", 20, LEASE, "w:1");
		assertThat(result.jobs()).extracting(ClaimedJob::id)
			.containsExactly("j0", "j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8", "j9");
		assertThat(owners()).hasSize(10);
		assertThat(redis.opsForList().size(this.keys.ready())).isZero();
		assertThat(this.queue.claim("q", 20, LEASE, "w:2").jobs()).isEmpty();
	}

	@Test
	void theSameIdTwiceOnReadyWithAnOwnerLeftWithoutALeaseIsTakenOverOnce() {
		this.queue.enqueue(job("a", null));
		this.queue.enqueue(job("b", null));
		redis.opsForHash().put(this.keys.owners(), "a", "left-over:1:1");
		redis.opsForList().rightPush(this.keys.ready(), "a");
		ClaimResult result = this.queue.claim("q", 10, LEASE, "w:1");
		assertThat(result.jobs()).extracting(ClaimedJob::id).containsExactly("a", "b");
		assertThat(owners()).isEqualTo(Map.of("a", "w:1:1", "b", "w:1:1"));
	}

	@Test
	void anOwnerWithoutALeaseDoesNotHoldTheJobBack() {
		this.queue.enqueue(job("a", null));
		redis.opsForHash().put(this.keys.owners(), "a", "left-over:1:1");
		ClaimedJob claimed = claimOne();
		assertThat(claimed.id()).isEqualTo("a");
		assertThat(redis.opsForHash().get(this.keys.owners(), "a")).isEqualTo(claimed.token());
		assertThat(complete(claimed)).isTrue();
	}

	@Test
	void aLeaseWithoutAnOwnerIsRecoveredAndAJobScheduledAtInfinityGoesToTheDeadSet() {
		this.queue.enqueue(job("orphan", null));
		this.queue.enqueue(job("never", null));
		redis.opsForList().remove(this.keys.ready(), 0, "orphan");
		redis.opsForList().remove(this.keys.ready(), 0, "never");
		redis.opsForZSet().add(this.keys.leases(), "orphan", System.currentTimeMillis() + 3_600_000);
		redis.opsForZSet().add(this.keys.scheduled(), "never", Double.POSITIVE_INFINITY);
		RecoverResult result = this.queue.recover("q", 3);
		assertThat(result.recovered()).isEqualTo(1);
		assertThat(result.dead()).isEqualTo(1);
		assertThat(redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("orphan");
		assertThat(redis.opsForZSet().size(this.keys.leases())).isZero();
		assertThat(redis.opsForZSet().range(this.keys.dead(), 0, -1)).containsExactly("never");
		assertThat(record("never").get("error").get("reason").asString()).isEqualTo("never-due");
	}

	@Test
	void checkpointIsSavedOnlyByTheOwnerAndSurvivesARequeue() {
		this.queue.enqueue(job("a", null));
		ClaimedJob claimed = claimOne();
		assertThat(this.queue.checkpoint(claimed.withToken("stale"), "{\"page\":1}"))
			.isFalse();
		assertThat(this.queue.checkpoint(claimed, "{\"page\":3}")).isTrue();
		this.queue.requeue(claimed, "shutdown", Duration.ZERO);
		assertThat(claimOne().record().checkpoint()).isEqualTo("{\"page\":3}");
	}

	@Test
	void statsCountJobsByStateInOneScript() {
		this.queue.enqueue(job("a", null));
		this.queue.enqueue(job("b", null));
		this.queue.enqueue(job("c", null));
		this.queue.enqueue(new NewJob("d", "test.job", "q", "[]", 3, null, null, Duration.ofHours(1), null));
		ClaimedJob claimed = claimOne();
		this.queue.fail(claimOne(), JobError.of("failed", "x"), null);
		QueueStats stats = this.queue.stats("q");
		assertThat(stats.ready()).isEqualTo(1);
		assertThat(stats.scheduled()).isEqualTo(1);
		assertThat(stats.leased()).isEqualTo(1);
		assertThat(stats.dead()).isEqualTo(1);
		assertThat(stats.oldestReadyAge()).isNotNull();
		assertThat(claimed.id()).isEqualTo("a");
		assertThat(this.queue.stats("empty").oldestReadyAge()).isNull();
	}

	@Test
	void statsCountTheCompletionsAcceptedForTheQueuesThroughput() {
		assertThat(this.queue.stats("q").succeeded()).isZero();
		for (String id : List.of("a", "b", "c")) {
			this.queue.enqueue(job(id, null));
		}
		ClaimedJob first = claimOne();
		ClaimedJob second = claimOne();
		assertThat(complete(first)).isTrue();
		assertThat(complete(second.withToken("stale"))).isFalse();
		assertThat(this.queue.stats("q").succeeded()).isEqualTo(1);
		assertThat(complete(second)).isTrue();
		assertThat(complete(claimOne())).isTrue();
		assertThat(this.queue.stats("q").succeeded()).isEqualTo(3);
	}

	@Test
	void enqueueWakesSubscribersWhenTheQueueWasEmpty() throws Exception {
		List<String> woken = new CopyOnWriteArrayList<>();
		try (AutoCloseable subscription = this.queue.subscribe(woken::add)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				redis.delete(this.keys.ready());
				this.queue.enqueue(job(UUID.randomUUID().toString(), null));
				return !woken.isEmpty();
			});
		}
		assertThat(woken).contains("q");
	}

	/**
	 * A job's lease with a token that no longer owns it: its own lease is not renewed (with
	 * leases per worker, its worker's lease is, for the jobs the worker still owns).
	 */
	void assertLeaseNotRenewedForAStaleToken(String id, double before) {
		assertThat(leaseOf(id)).isLessThan(before + 60_000);
	}

	/**
	 * Returns when a job's lease expires: its own, or its worker's for a job leased per worker.
	 */
	@Nullable Double leaseOf(String id) {
		Double own = redis.opsForZSet().score(this.keys.leases(), id);
		if (own != null) {
			return own;
		}
		Object owner = redis.opsForHash().get(this.keys.owners(), id);
		Object until = (owner != null)
				? redis.opsForHash().get(this.keys.holders(), RedisJobStatuses.workerOf((String) owner)) : null;
		return (until != null) ? Double.valueOf((String) until) : null;
	}

	/**
	 * Returns how many jobs are leased, each with an owner whatever the lease layout.
	 */
	long leased() {
		return owners().size();
	}

	/**
	 * Returns the owner of each leased job: the owners hash without its encoding pin.
	 */
	Map<Object, Object> owners() {
		Map<Object, Object> owners = new java.util.HashMap<>(redis.opsForHash().entries(this.keys.owners()));
		owners.remove(RedisJobKeys.ENCODING_PIN);
		return owners;
	}

	/**
	 * Returns a key's encoding as Redis 7 names it: Redis 6.2 (the embedded test binary where no
	 * redis-server is installed) calls the compact one {@code ziplist}.
	 */
	private @Nullable String encoding(String key) {
		String encoding = redis.execute(RedisScript.of("return redis.call('OBJECT', 'ENCODING', KEYS[1])", String.class),
				List.of(key));
		return "ziplist".equals(encoding) ? "listpack" : encoding;
	}

	private ClaimedJob claimOne() {
		List<ClaimedJob> jobs = this.queue.claim("q", 1, LEASE, "w:" + UUID.randomUUID()).jobs();
		assertThat(jobs).hasSize(1);
		return jobs.get(0);
	}

	private NewJob job(String id, String idempotencyKey) {
		return new NewJob(id, "test.job", "q", "[1]", 3, idempotencyKey, null, null, null);
	}

	private JsonNode record(String id) {
		return this.json.readTree(RedisJobRecords.json((String) redis.opsForHash().get(this.keys.jobs(), id)));
	}

	private boolean complete(ClaimedJob job) {
		return this.queue.complete(job.queue(), finished(List.of(job))).isEmpty();
	}

	static List<FinishedJob> finished(List<ClaimedJob> jobs) {
		return jobs.stream().map((job) -> new FinishedJob(job, Instant.now(), "test-worker")).toList();
	}

}
