package io.gracefulworker.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.gracefulworker.CancelResult;
import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.RecoverResult;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs leased per worker (an owner and its worker's entry in the holders hash, no lease of their
 * own), written here as such a worker would, honoured by every script whatever the reading
 * worker's own lease layout: a queue served by workers of both layouts must not lose such a job,
 * run it twice, or misreport it.
 */
@ExtendWith(RedisExtension.class)
class LeasesPerWorkerIntegrationTests {

	private static final String LAPSED = "pod-a-12-0f3c9e1d";

	private static final String LIVE = "pod-b-7-77aa01bc";

	private final JsonMapper json = JsonMapper.builder().build();

	private StringRedisTemplate redis;

	private RedisJobQueue queue;

	private RedisJobKeys keys;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.redis = new StringRedisTemplate(factory);
		this.queue = new RedisJobQueue(factory, "gw");
		this.keys = this.queue.keys("q");
	}

	@Test
	void aPassTakesBackTheJobsOfAWorkerWhoseLeaseLapsedCountsTheirAttemptsAndForgetsTheWorker() {
		leasePerWorker(LAPSED, System.currentTimeMillis() - 1000, "a", "b");
		leasePerWorker(LIVE, System.currentTimeMillis() + 60_000, "c");
		RecoverResult result = this.queue.recover("q", 3);
		assertThat(result.recovered()).isEqualTo(2);
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyInAnyOrder("a", "b");
		assertThat(this.redis.opsForHash().entries(this.keys.owners())).containsOnlyKeys("c");
		assertThat(this.redis.opsForHash().entries(this.keys.holders())).containsOnlyKeys(LIVE);
		assertThat(record("a").get("attempt").asInt()).isEqualTo(1);
		assertThat(record("a").get("recoveries").asInt()).isEqualTo(1);
		assertThat(this.queue.recover("q", 3).recovered()).isZero();
	}

	@Test
	void aWorkerWhoseJobsDoNotFitInOnePassIsKeptUntilTheNextTakesBackTheRest() {
		String[] ids = new String[1001];
		for (int i = 0; i < ids.length; i++) {
			ids[i] = "job-" + i;
		}
		leasePerWorker(LAPSED, System.currentTimeMillis() - 1000, ids);
		assertThat(this.queue.recover("q", 3).recovered()).isEqualTo(1000);
		assertThat(this.redis.opsForHash().hasKey(this.keys.holders(), LAPSED)).isTrue();
		assertThat(this.queue.recover("q", 3).recovered()).isEqualTo(1);
		assertThat(this.redis.opsForHash().hasKey(this.keys.holders(), LAPSED)).isFalse();
		assertThat(this.redis.opsForList().size(this.keys.ready())).isEqualTo(1001);
	}

	@Test
	void aPassReadsTheOwnersOfManyRunningJobsAPageAtATimeAndTheRoundTakesBackEveryJobOfTheLapsedWorker() {
		ownedBy(LIVE, System.currentTimeMillis() + 60_000, 20_000);
		leasePerWorker(LAPSED, System.currentTimeMillis() - 1000, "a", "b", "c");
		int recovered = this.queue.recover("q", 3).recovered();
		// Five pages of about a thousand: the round over the 20,003 owners goes on in later passes.
		assertThat(this.redis.opsForHash().get(this.keys.recovery(), "cursor")).isNotNull().isNotEqualTo("0");
		assertThat(this.redis.opsForHash().hasKey(this.keys.holders(), LAPSED)).isTrue();
		for (int pass = 2; this.redis.hasKey(this.keys.recovery()); pass++) {
			assertThat(pass).as("passes of one round").isLessThanOrEqualTo(10);
			recovered += this.queue.recover("q", 3).recovered();
		}
		assertThat(recovered).isEqualTo(3);
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(this.redis.opsForHash().entries(this.keys.holders())).containsOnlyKeys(LIVE);
		assertThat(this.redis.opsForHash().size(this.keys.owners())).isEqualTo(20_000);
	}

	@Test
	void aLapsedWorkerThatRenewsItsLeaseDuringARoundIsNotForgottenWithTheJobItClaimedSince() {
		ownedBy(LIVE, System.currentTimeMillis() + 60_000, 20_000);
		leasePerWorker(LAPSED, System.currentTimeMillis() - 1000, "a");
		leasePerWorker("pod-c-3-0b1d2e3f", System.currentTimeMillis() - 1000, "b");
		this.queue.recover("q", 3);
		assertThat(this.redis.hasKey(this.keys.recovery())).isTrue();
		// A pause longer than its lease: the worker comes back, renews its lease and claims.
		leasePerWorker(LAPSED, System.currentTimeMillis() + 60_000, "z");
		for (int pass = 2; this.redis.hasKey(this.keys.recovery()); pass++) {
			assertThat(pass).as("passes of one round").isLessThanOrEqualTo(10);
			this.queue.recover("q", 3);
		}
		assertThat(this.redis.opsForHash().entries(this.keys.holders())).containsOnlyKeys(LIVE, LAPSED);
		assertThat(this.redis.opsForHash().get(this.keys.owners(), "z")).isEqualTo(LAPSED + ":1:1");
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).contains("b").doesNotContain("z");
	}

	@Test
	void aRoundUnderWayAndAPassOfTheReleaseBeforeTakeBackEachJobOnce() throws IOException {
		ownedBy(LIVE, System.currentTimeMillis() + 60_000, 20_000);
		leasePerWorker(LAPSED, System.currentTimeMillis() - 1000, "a", "b", "c");
		this.queue.recover("q", 3);
		assertThat(this.redis.hasKey(this.keys.recovery())).isTrue();
		// A worker of the release before, in a rollout, reads the whole owners hash and forgets the worker.
		recoverAsReleaseBefore();
		assertThat(this.redis.opsForHash().hasKey(this.keys.holders(), LAPSED)).isFalse();
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyInAnyOrder("a", "b", "c");
		// With no worker lapsed, this release's passes leave the round to expire, and take nothing again.
		for (int pass = 2; pass <= 6; pass++) {
			assertThat(this.queue.recover("q", 3).recovered()).isZero();
		}
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyInAnyOrder("a", "b", "c");
		for (String id : List.of("a", "b", "c")) {
			assertThat(record(id).get("recoveries").asInt()).isEqualTo(1);
		}
		assertThat(this.redis.opsForHash().entries(this.keys.holders())).containsOnlyKeys(LIVE);
		assertThat(this.redis.opsForHash().size(this.keys.owners())).isEqualTo(20_000);
	}

	@Test
	void aPassAtMaxmemoryTakesBackWhatItFindsAndTheRoundGoesOnOnceMemoryIsFree() {
		ownedBy(LIVE, System.currentTimeMillis() + 60_000, 20_000);
		leasePerWorker(LAPSED, System.currentTimeMillis() - 1000, "a", "b", "c");
		maxmemory("1");
		try {
			// A round that has not begun is written by its first pass, which must not fail with it.
			for (int pass = 1; pass <= 3; pass++) {
				this.queue.recover("q", 3);
			}
		}
		finally {
			maxmemory("0");
		}
		for (int pass = 1; this.redis.opsForHash().hasKey(this.keys.holders(), LAPSED); pass++) {
			assertThat(pass).as("passes of one round").isLessThanOrEqualTo(10);
			this.queue.recover("q", 3);
		}
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(this.redis.opsForHash().size(this.keys.owners())).isEqualTo(20_000);
	}

	@Test
	void aJobWithItsOwnExpiredLeaseAndOneOfALapsedWorkerAreBothTakenBackOnce() {
		leasePerWorker(LAPSED, System.currentTimeMillis() - 1000, "a");
		this.queue.enqueue(job("b"));
		ClaimedJob legacy = this.queue.claim("q", 1, Duration.ofSeconds(30), "old-worker:1").jobs().get(0);
		this.redis.opsForZSet().add(this.keys.leases(), legacy.id(), System.currentTimeMillis() - 1000);
		assertThat(this.queue.recover("q", 3).recovered()).isEqualTo(2);
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyInAnyOrder("a", "b");
		assertThat(record("b").get("attempt").asInt()).isEqualTo(1);
	}

	@Test
	void aJobLeasedPerWorkerIsRunningOnItsWorkerUntilItsWorkersLeaseLapses() {
		long until = System.currentTimeMillis() + 60_000;
		leasePerWorker(LIVE, until, "a");
		JobStatus status = this.queue.status("q", "a").orElseThrow();
		assertThat(status.state()).isEqualTo(JobState.RUNNING);
		assertThat(status.worker()).isEqualTo(LIVE);
		assertThat(status.attempt()).isEqualTo(1);
		assertThat(this.queue.stats("q").leased()).isEqualTo(1);
	}

	@Test
	void cancellingAJobLeasedPerWorkerAsksItsWorkerAndLeavesItRunning() {
		leasePerWorker(LIVE, System.currentTimeMillis() + 60_000, "a");
		assertThat(this.queue.cancel("q", "a", true)).isEqualTo(CancelResult.CANCELLING);
		assertThat(this.redis.opsForHash().get(this.keys.cancels(), "a")).isEqualTo("interrupt");
		assertThat(KeptOutcomes.isKept(this.redis, this.keys, "a")).isFalse();
		assertThat(this.queue.status("q", "a").orElseThrow().state()).isEqualTo(JobState.RUNNING);
	}

	@Test
	void aSecondCopyOnReadyOfAJobLeasedPerWorkerIsNotLeasedAgain() {
		leasePerWorker(LIVE, System.currentTimeMillis() + 60_000, "a");
		this.redis.opsForList().rightPush(this.keys.ready(), "a");
		assertThat(this.queue.claim("q", 10, Duration.ofSeconds(30), "w:1").jobs()).isEmpty();
		assertThat(this.redis.opsForHash().get(this.keys.owners(), "a")).isEqualTo(LIVE + ":1:1");
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), "a")).isNull();
	}

	/**
	 * Stores jobs and leases them to a worker as a release that keeps leases per worker would:
	 * each job owned by a token of the worker's, and one lease for the worker.
	 */
	private void leasePerWorker(String worker, long until, String... ids) {
		List<NewJob> jobs = new ArrayList<>();
		for (String id : ids) {
			jobs.add(job(id));
		}
		this.queue.enqueueAll(jobs);
		Map<String, String> owners = new HashMap<>();
		for (String id : ids) {
			this.redis.opsForList().remove(this.keys.ready(), 1, id);
			owners.put(id, worker + ":1:1");
		}
		this.redis.opsForHash().putAll(this.keys.owners(), owners);
		this.redis.opsForHash().put(this.keys.holders(), worker, String.valueOf(until));
	}

	/**
	 * Writes the owners of running jobs of a worker, without their records: no pass takes them.
	 */
	private void ownedBy(String worker, long until, int count) {
		Map<String, String> owners = new HashMap<>();
		for (int i = 0; i < count; i++) {
			owners.put("running-" + i, worker + ":1:1");
		}
		this.redis.opsForHash().putAll(this.keys.owners(), owners);
		this.redis.opsForHash().put(this.keys.holders(), worker, String.valueOf(until));
	}

	private void recoverAsReleaseBefore() throws IOException {
		String text = "local PIN = '" + RedisJobKeys.ENCODING_PIN + "'\n" + read("pin.lua", RedisJobScripts.class)
				+ read("holders.lua", RedisJobScripts.class) + read("record.lua", RedisJobScripts.class)
				+ read("earlier/recover_whole_owners.lua", LeasesPerWorkerIntegrationTests.class);
		this.redis.execute(RedisScript.of(text, List.class),
				List.of(this.keys.leases(), this.keys.owners(), this.keys.jobs(), this.keys.ready(), this.keys.dead(),
						this.keys.scheduled(), this.keys.holders(), this.keys.consumers(), this.keys.handOffs()),
				"3", "1000", "gw:wake", "q");
	}

	private static String read(String path, Class<?> base) throws IOException {
		return new ClassPathResource(path, base).getContentAsString(StandardCharsets.UTF_8);
	}

	private void maxmemory(String bytes) {
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().setConfig("maxmemory", bytes);
			return null;
		});
	}

	private static NewJob job(String id) {
		return new NewJob(id, "test.job", "q", "[1]", 3, null, null, null, null);
	}

	private JsonNode record(String id) {
		return this.json.readTree(RedisJobRecords.json((String) this.redis.opsForHash().get(this.keys.jobs(), id)));
	}

}
