package io.gracefulworker.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.gracefulworker.WorkerState;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisRecordLayout#AUTO} against a real Redis: new records are compact only while every
 * live worker in the fleet registry says it reads them.
 */
@ExtendWith(RedisExtension.class)
class RedisAutoRecordLayoutIntegrationTests {

	private StringRedisTemplate redis;

	private RedisJobQueue queue;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.redis = new StringRedisTemplate(factory);
		this.queue = new RedisJobQueue(factory, "gw");
		this.queue.setRecordLayout(RedisRecordLayout.AUTO, Duration.ZERO);
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
			.contains("\"recordLayouts\":[\"json\",\"compact\"]");
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
	void aLapsedEntryOfAnEarlierBuildHoldsNothingBack() {
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		publishAsAnEarlierBuild("old-1", Duration.ofMillis(300));
		assertThat(writtenCompact()).isFalse();
		await().atMost(Duration.ofSeconds(10)).until(this::writtenCompact);
	}

	@Test
	void theFleetIsAskedAgainOnlyOnceTheRecheckIntervalPassed() {
		this.queue.setRecordLayout(RedisRecordLayout.AUTO, Duration.ofHours(1));
		assertThat(writtenCompact()).isFalse();
		this.queue.publish(worker("new-1"), Duration.ofMinutes(1));
		assertThat(writtenCompact()).isFalse();
		this.queue.setRecordLayout(RedisRecordLayout.AUTO, Duration.ofHours(1));
		assertThat(writtenCompact()).isTrue();
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

	/**
	 * Enqueues a job and says whether its record was stored compact.
	 */
	private boolean writtenCompact() {
		String id = UUID.randomUUID().toString();
		assertThat(this.queue.enqueue(new NewJob(id, "test.job", "q", "[1]", 3, null, null, null, null))).isEqualTo(id);
		String raw = this.redis.<String, String>opsForHash().get(this.queue.keys("q").jobs(), id);
		assertThat(raw).isNotNull();
		return raw.charAt(0) == RedisCompactRecords.MARK;
	}

	/**
	 * Publishes an entry as builds before the record layouts were listed wrote it, running a job
	 * whose id looks like the field (the script matches the field rather than decoding it).
	 */
	private void publishAsAnEarlierBuild(String id, Duration lapse) {
		long now = System.currentTimeMillis();
		ObjectNode entry = JsonMapper.builder()
			.build()
			.createObjectNode()
			.put("workerId", id)
			.put("host", "pod-old")
			.put("state", "RUNNING")
			.put("since", now)
			.put("concurrency", 4)
			.put("running", 1)
			.put("publishedAt", now);
		entry.putArray("jobIds").add("\"recordLayouts\":[\"compact\"]");
		this.redis.opsForHash().put("gw:{fleet}:workers", id, entry.toString());
		this.redis.opsForZSet().add("gw:{fleet}:lapses", id, now + lapse.toMillis());
	}

	private static FleetEntry worker(String id) {
		Instant now = Instant.now();
		return new FleetEntry(id, "pod", "2.0.0", WorkerState.RUNNING, now, 4, 0, List.of(), null, null, now);
	}

}
