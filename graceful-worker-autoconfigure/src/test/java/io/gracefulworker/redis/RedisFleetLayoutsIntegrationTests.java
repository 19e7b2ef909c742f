package io.gracefulworker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.gracefulworker.WorkerState;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisRecordLayout#AUTO}, {@link RedisLeaseLayout#AUTO} and {@link RedisOutcomeLayout#AUTO}
 * against a real Redis: new records are compact, new leases kept per worker and new outcomes
 * indexed in lists only while every live worker in the fleet registry says it reads that layout.
 */
@ExtendWith(RedisExtension.class)
class RedisFleetLayoutsIntegrationTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private StringRedisTemplate redis;

	private RedisJobKeys keys;

	private int claims;

	private RedisJobQueue queue;

	private LettuceConnectionFactory factory;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.factory = factory;
		this.redis = new StringRedisTemplate(factory);
		this.queue = new RedisJobQueue(factory, "gw");
		this.queue.setRecordLayout(RedisRecordLayout.AUTO);
		this.queue.setLeaseLayout(RedisLeaseLayout.AUTO);
		this.queue.recheckLayoutsEvery(Duration.ZERO);
		this.keys = this.queue.keys("q");
	}

	@Test
	void recordsAreJsonWhileNoWorkerIsLive() {
		assertThat(writtenCompact()).isFalse();
	}

	@Test
	void recordsAreCompactWhileEveryLiveWorkerSaysItReadsThemAndJsonWhileOneOfAnEarlierBuildIsLive() {
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		this.queue.publish(worker("new-2"), Duration.ofMinutes(1));
		assertThat(this.redis.<String, String>opsForHash().get("gw:{fleet}:workers", "new-1"))
			.contains("\"recordLayouts\":[\"json\",\"compact\"]")
			.contains("\"leaseLayouts\":[\"per-job\",\"per-worker\"]");
		assertThat(writtenCompact()).isTrue();
		publishAsAnEarlierBuild("old-1", Duration.ofMinutes(1));
		assertThat(writtenCompact()).isFalse();
		this.queue.leave("old-1");
		assertThat(writtenCompact()).isTrue();
		this.queue.leave("new-1");
		this.queue.leave("new-2");
		assertThat(writtenCompact()).isFalse();
	}

	@Test
	void outcomesAreKeptInListsWhileEveryLiveWorkerReadsThemAndInSortedSetsWhileOneOfTheReleaseBeforeIsLive() {
		RedisJobQueue keeping = new RedisJobQueue(this.factory, "gw", 0, Duration.ofSeconds(1),
				new JobRetention(Duration.ofMinutes(5), 1000, Duration.ofDays(7), 1000));
		keeping.setOutcomeLayout(RedisOutcomeLayout.AUTO);
		keeping.recheckLayoutsEvery(Duration.ZERO);
		assertThat(keptInList(keeping)).as("no worker live").isFalse();
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		assertThat(this.redis.<String, String>opsForHash().get("gw:{fleet}:workers", "new-1"))
			.contains("\"outcomeLayouts\":[\"sorted-set\",\"list\"]");
		assertThat(keptInList(keeping)).isTrue();
		EarlierBuildEntries.publishAsTheReleaseBefore(this.redis, "previous-1", Duration.ofMinutes(1));
		assertThat(keptInList(keeping)).isFalse();
		assertThat(writtenCompact()).as("the release before reads compact records").isTrue();
		this.queue.leave("previous-1");
		assertThat(keptInList(keeping)).isTrue();
		keeping.setOutcomeLayout(RedisOutcomeLayout.SORTED_SET);
		assertThat(keptInList(keeping)).isFalse();
	}

	@Test
	void aLapsedEntryOfAnEarlierBuildHoldsNothingBack() {
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		publishAsAnEarlierBuild("old-1", Duration.ofMillis(300));
		assertThat(writtenCompact()).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(this::writtenCompact);
	}

	@Test
	void theFleetIsAskedAgainOnlyOnceTheRecheckIntervalPassed() {
		this.queue.recheckLayoutsEvery(Duration.ofHours(1));
		assertThat(writtenCompact()).isFalse();
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		assertThat(writtenCompact()).isFalse();
		assertThat(leasedPerWorker(claimOne("w-1"))).isFalse();
		this.queue.recheckLayoutsEvery(Duration.ofHours(1));
		assertThat(writtenCompact()).isTrue();
		assertThat(leasedPerWorker(claimOne("w-1"))).isTrue();
	}

	@Test
	void aFleetRegistryThatCannotAnswerMeansJsonAndTheEnqueueStillSucceeds() {
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		assertThat(writtenCompact()).isTrue();
		this.redis.delete("gw:{fleet}:lapses");
		this.redis.opsForValue().set("gw:{fleet}:lapses", "not a sorted set");
		assertThat(writtenCompact()).isFalse();
	}

	@Test
	void explicitLayoutsIgnoreTheFleet() {
		this.queue.setRecordLayout(RedisRecordLayout.COMPACT);
		assertThat(writtenCompact()).isTrue();
		publishAsAnEarlierBuild("old-1", Duration.ofMinutes(1));
		assertThat(writtenCompact()).isTrue();
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		this.queue.leave("old-1");
		this.queue.setRecordLayout(RedisRecordLayout.JSON);
		assertThat(writtenCompact()).isFalse();
	}

	@Test
	void leasesArePerWorkerWhileEveryLiveWorkerHonoursThemAndPerJobWhileOneOfAnEarlierBuildIsLive() {
		assertThat(leasedPerWorker(claimOne("w-1"))).isFalse();
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		ClaimedJob perWorker = claimOne("w-1");
		assertThat(leasedPerWorker(perWorker)).isTrue();
		publishAsAnEarlierBuild("old-1", Duration.ofMinutes(1));
		ClaimedJob perJob = claimOne("w-1");
		assertThat(leasedPerWorker(perJob)).isFalse();
		this.queue.leave("old-1");
		assertThat(leasedPerWorker(claimOne("w-1"))).isTrue();
	}

	@Test
	void onceAWorkerOfAnEarlierBuildIsLiveTheNextHeartbeatGivesEachJobLeasedPerWorkerALeaseOfItsOwn() {
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		ClaimedJob job = claimOne("w-1");
		ClaimedJob takenBack = claimOne("w-1");
		assertThat(leasedPerWorker(job)).isTrue();
		assertThat(leasedPerWorker(takenBack)).isTrue();
		String holder = this.redis.<String, String>opsForHash().get(this.keys.holders(), "w-1");
		assertThat(this.queue.heartbeat("q", List.of(job), LEASE)).isEmpty();
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), job.id())).isNull();
		publishAsAnEarlierBuild("old-1", Duration.ofMinutes(1));
		// A job no longer owned gets no lease: it was taken back.
		this.redis.opsForHash().delete(this.keys.owners(), takenBack.id());
		long before = System.currentTimeMillis();
		assertThat(this.queue.heartbeat("q", List.of(job, takenBack), LEASE)).containsExactly(takenBack.id());
		// What a worker of an earlier build reads to take the job back if this worker dies.
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), job.id())).isNotNull()
			.isGreaterThanOrEqualTo((double) before + LEASE.toMillis() - 1000);
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), takenBack.id())).isNull();
		assertThat(this.redis.<String, String>opsForHash().get(this.keys.holders(), "w-1")).isNotNull()
			.isGreaterThanOrEqualTo(holder);
		assertThat(this.queue.complete("q", List.of(new FinishedJob(job, Instant.now(), "w-1")))).isEmpty();
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), job.id())).isNull();
	}

	@Test
	void aJobWhoseLeaseTheHeartbeatAddedIsTakenBackThroughThatLeaseAlone() {
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		ClaimedJob job = claimOne("w-1");
		publishAsAnEarlierBuild("old-1", Duration.ofMinutes(1));
		assertThat(this.queue.heartbeat("q", List.of(job), Duration.ofMillis(1))).isEmpty();
		// As a build that knows no holders sees it: only the job's own lease.
		this.redis.delete(this.keys.holders());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.recover("q", 5).recovered() == 1);
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly(job.id());
		assertThat(this.redis.opsForHash().hasKey(this.keys.owners(), job.id())).isFalse();
	}

	private ClaimedJob claimOne(String worker) {
		String id = UUID.randomUUID().toString();
		this.queue.enqueue(new NewJob(id, "test.job", "q", "[1]", 3, null, null, null, null));
		List<ClaimedJob> claimed = this.queue.claim("q", 1, LEASE, worker + ":" + (++this.claims), null, null,
				Duration.ofSeconds(1)).jobs();
		assertThat(claimed).extracting(ClaimedJob::id).containsExactly(id);
		return claimed.get(0);
	}

	/**
	 * Says whether a claimed job's lease is its worker's rather than its own.
	 */
	private boolean leasedPerWorker(ClaimedJob job) {
		boolean ownLease = this.redis.opsForZSet().score(this.keys.leases(), job.id()) != null;
		boolean holder = this.redis.opsForHash().hasKey(this.keys.holders(), job.token().split(":")[0]);
		assertThat(ownLease || holder).as("the job is leased one way or the other").isTrue();
		return !ownLease;
	}

	/**
	 * Enqueues a job and says whether its record was stored compact.
	 */
	private boolean writtenCompact() {
		String id = UUID.randomUUID().toString();
		assertThat(this.queue.enqueue(new NewJob(id, "test.job", "records", "[1]", 3, null, null, null, null)))
			.isEqualTo(id);
		String raw = this.redis.<String, String>opsForHash().get(this.queue.keys("records").jobs(), id);
		assertThat(raw).isNotNull();
		return raw.charAt(0) == RedisCompactRecords.MARK;
	}

	/**
	 * Runs a job to its end and says whether its outcome's id was kept in the outcomes list
	 * rather than the finished sorted set.
	 */
	private boolean keptInList(RedisJobQueue keeping) {
		ClaimedJob job = claimOne("w-1");
		assertThat(keeping.complete("q", List.of(new FinishedJob(job, Instant.now(), "w-1")))).isEmpty();
		boolean listed = this.redis.opsForList().indexOf(this.keys.outcomes(), job.id()) != null;
		boolean sorted = this.redis.opsForZSet().score(this.keys.finished(), job.id()) != null;
		assertThat(listed).as("kept in one index").isNotEqualTo(sorted);
		return listed;
	}

	/**
	 * Publishes an entry as builds before the record layouts were listed wrote it, running a job
	 * whose id looks like the field (the script matches the field rather than decoding it).
	 */
	private void publishAsAnEarlierBuild(String id, Duration lapse) {
		EarlierBuildEntries.publish(this.redis, id, lapse,
				(entry) -> entry.putArray("jobIds").add("\"recordLayouts\":[\"compact\"]"));
	}

	private static FleetEntry worker(String id) {
		Instant now = Instant.now();
		return new FleetEntry(id, "pod", "2.0.0", WorkerState.RUNNING, now, 4, 0, List.of(), null, null, now);
	}

}
