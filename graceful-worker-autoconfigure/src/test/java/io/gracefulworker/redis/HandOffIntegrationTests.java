package io.gracefulworker.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.ClaimResult;
import io.gracefulworker.core.HandOffRegistration;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Jobs handed over by the enqueue to a worker registered as waiting, at the store: the
 * registration a claim makes or withdraws, the job leased to the worker and published on its
 * channel, the fall-back to the ready list, and the slot a claim leaves for a hand-off still on its
 * way.
 */
@ExtendWith(RedisExtension.class)
class HandOffIntegrationTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofSeconds(10);

	// A hand-off's lease is the registering claim's.
	private static final Duration SHORT_LEASE = Duration.ofMillis(300);

	private final BlockingQueue<ClaimedJob> handedOver = new LinkedBlockingQueue<>();

	private StringRedisTemplate redis;

	private RedisJobQueue queue;

	private RedisJobKeys keys;

	private AutoCloseable subscription;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.redis = new StringRedisTemplate(factory);
		this.queue = new RedisJobQueue(factory, "gw");
		this.keys = this.queue.keys("q");
	}

	@AfterEach
	void unsubscribe() throws Exception {
		if (this.subscription != null) {
			this.subscription.close();
		}
	}

	@Test
	void aClaimThatLeavesASlotFreeRegistersItsWorkerAndOneThatFillsTheSlotsWithdrawsIt() {
		ClaimResult empty = claim(4, 1, null);
		assertThat(empty.registered()).isTrue();
		assertThat(this.redis.opsForValue().get(this.keys.waiting())).isEqualTo("w1|1|30000");
		assertThat(this.redis.getExpire(this.keys.waiting(), TimeUnit.MILLISECONDS)).isBetween(1L, TTL.toMillis());
		this.queue.enqueue(job("a"));
		this.queue.enqueue(job("b"));
		ClaimResult full = claim(2, 2, registration(1));
		assertThat(full.jobs()).extracting(ClaimedJob::id).containsExactly("a", "b");
		assertThat(full.registered()).isFalse();
		assertThat(this.redis.hasKey(this.keys.waiting())).isFalse();
	}

	@Test
	void anEnqueueIntoTheEmptyQueueLeasesTheJobToTheWaitingWorkerAndPublishesItToIt() throws Exception {
		subscribe("w1");
		claim(4, 7, null);
		this.queue.enqueue(job("a"));
		ClaimedJob job = this.handedOver.poll(10, TimeUnit.SECONDS);
		assertThat(job).isNotNull();
		assertThat(job.id()).isEqualTo("a");
		assertThat(job.token()).isEqualTo("w1:7:0");
		assertThat(job.queue()).isEqualTo("q");
		assertThat(job.record()).isNotNull();
		assertThat(job.record().name()).isEqualTo("test.job");
		assertThat(this.redis.opsForHash().get(this.keys.owners(), "a")).isEqualTo("w1:7:0");
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), "a")).isGreaterThan(System.currentTimeMillis());
		assertThat(this.redis.opsForList().size(this.keys.ready())).isZero();
		assertThat(this.redis.hasKey(this.keys.waiting())).isFalse();
		// The job is the worker's as a claimed one is: it completes with its token.
		assertThat(this.queue.heartbeat("q", List.of(job), LEASE)).isEmpty();
	}

	@Test
	void aJobGoesToReadyWhenTheRegisteredWorkerDoesNotListenAndOnlyOneJobIsHandedOverARegistration()
			throws Exception {
		claim(4, 3, null);
		this.queue.enqueue(job("a"));
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("a");
		assertThat(this.redis.opsForHash().hasKey(this.keys.owners(), "a")).isFalse();
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), "a")).isNull();
		assertThat(this.redis.hasKey(this.keys.waiting())).isFalse();
		this.redis.delete(this.keys.ready());
		subscribe("w1");
		claim(4, 4, null);
		this.queue.enqueue(job("b"));
		this.queue.enqueue(job("c"));
		assertThat(this.handedOver.poll(10, TimeUnit.SECONDS)).extracting(ClaimedJob::id).isEqualTo("b");
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("c");
	}

	@Test
	void aClaimLeavesASlotForAHandOffThatTookItsRegistrationAndHasNotArrived() {
		claim(2, 5, null);
		// The hand-off as the enqueue records it, its message not yet at the worker.
		this.redis.delete(this.keys.waiting());
		this.redis.opsForHash().put(this.keys.handOffs(), "w1", "w1|5|30000");
		this.queue.enqueue(job("a"));
		this.queue.enqueue(job("b"));
		ClaimResult result = claim(2, 6, registration(5));
		assertThat(result.handOffUnderWay()).isTrue();
		assertThat(result.jobs()).extracting(ClaimedJob::id).containsExactly("a");
		assertThat(result.registered()).isFalse();
		assertThat(this.redis.opsForHash().hasKey(this.keys.handOffs(), "w1")).isFalse();
		// A pending registration that no hand-off took (it lapsed, or another worker's replaced
		// it) keeps no slot.
		ClaimResult next = claim(1, 7, registration(6));
		assertThat(next.handOffUnderWay()).isFalse();
		assertThat(next.jobs()).extracting(ClaimedJob::id).containsExactly("b");
	}

	@Test
	void aJobHandedOverToAWorkerKeepingLeasesPerWorkerHasALeaseOfItsOwnThatItsHeartbeatRenews() throws Exception {
		this.queue.setLeaseLayout(RedisLeaseLayout.PER_WORKER);
		subscribe("w1");
		claim(4, 7, null, SHORT_LEASE);
		this.queue.enqueue(job("a"));
		ClaimedJob job = this.handedOver.poll(10, TimeUnit.SECONDS);
		assertThat(job).isNotNull();
		long handOffLeaseEnds = this.redis.opsForZSet().score(this.keys.leases(), "a").longValue();
		assertThat(this.queue.heartbeat("q", List.of(job), LEASE)).isEmpty();
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), "a"))
			.isGreaterThan((double) handOffLeaseEnds + LEASE.toMillis() / 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > handOffLeaseEnds + 100);
		assertThat(this.queue.recover("q", 3).recovered()).isZero();
		assertThat(this.redis.opsForHash().get(this.keys.owners(), "a")).isEqualTo("w1:7:0");
	}

	@Test
	void aJobHandedOverToAWorkerKeepingLeasesPerWorkerWhoseMessageIsLostComesBackWhenItsLeaseLapses()
			throws Exception {
		this.queue.setLeaseLayout(RedisLeaseLayout.PER_WORKER);
		this.queue.enqueue(job("c"));
		ClaimedJob running = claim(4, 1, null, SHORT_LEASE).jobs().get(0);
		// The worker lives on: its own lease, which covers the job it runs, is renewed.
		assertThat(this.queue.heartbeat("q", List.of(running), LEASE)).isEmpty();
		assertThat(this.redis.opsForHash().hasKey(this.keys.holders(), "w1")).isTrue();
		// Its subscription takes the message, and the worker never sees it.
		this.subscription = this.queue.subscribe((queue) -> {
		}, (cancel) -> {
		}, "w1", (handedOver) -> {
		});
		awaitSubscribed("w1");
		this.queue.enqueue(job("b"));
		assertThat(this.redis.opsForHash().get(this.keys.owners(), "b")).isEqualTo("w1:1:0");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.recover("q", 3).recovered() == 1);
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactly("b");
		assertThat(this.redis.opsForHash().hasKey(this.keys.owners(), "b")).isFalse();
		assertThat(this.redis.opsForHash().get(this.keys.owners(), "c")).isEqualTo("w1:1:1");
	}

	@Test
	void aRecoveryPassRemovesTheHandOffMarkersOfWorkersThatNoLongerConsumeTheQueue() {
		this.queue.consume("q", "w1", Duration.ofMinutes(1));
		this.redis.opsForHash().put(this.keys.handOffs(), "w1", "w1|5|30000");
		// Died between a hand-off and its next claim: its consumer entry lapsed, or is gone.
		this.redis.opsForZSet().add(this.keys.consumers(), "lapsed", System.currentTimeMillis() - 1000);
		this.redis.opsForHash().put(this.keys.handOffs(), "lapsed", "lapsed|3|30000");
		this.redis.opsForHash().put(this.keys.handOffs(), "gone", "gone|9|30000");
		this.queue.recover("q", 3);
		assertThat(this.redis.opsForHash().keys(this.keys.handOffs())).containsExactly("w1");
	}

	@Test
	void aMessageThatIsNotAHandOffIsRefusedWithoutEndingTheSubscription() throws Exception {
		subscribe("w1");
		this.redis.convertAndSend("gw:wake:w1", "12:abc");
		claim(4, 9, null);
		this.queue.enqueue(job("a"));
		assertThat(this.handedOver.poll(10, TimeUnit.SECONDS)).extracting(ClaimedJob::id).isEqualTo("a");
	}

	private ClaimResult claim(int max, long seq, HandOffRegistration pending) {
		return claim(max, seq, pending, LEASE);
	}

	private ClaimResult claim(int max, long seq, HandOffRegistration pending, Duration lease) {
		return this.queue.claim("q", max, lease, "w1:" + seq, new HandOffRegistration("w1", seq), pending, TTL);
	}

	private static HandOffRegistration registration(long seq) {
		return new HandOffRegistration("w1", seq);
	}

	private void subscribe(String worker) {
		this.subscription = this.queue.subscribe((queue) -> {
		}, (cancel) -> {
		}, worker, (handedOver) -> this.handedOver.add(handedOver.job()));
		awaitSubscribed(worker);
	}

	private void awaitSubscribed(String worker) {
		// Subscribed once a message on the worker's channel reaches a subscriber.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.redis.execute((org.springframework.data.redis.core.RedisCallback<Long>) (connection) -> connection
				.publish(("gw:wake:" + worker).getBytes(), "0:".getBytes())) > 0);
	}

	private static NewJob job(String id) {
		return new NewJob(id, "test.job", "q", "[]", 3, null, null, null, null);
	}

}
