package io.gracefulworker.redis;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.gracefulworker.WorkerState;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.core.TruncatedDrain;
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
 * The fleet registry's scripts against a real Redis.
 */
@ExtendWith(RedisExtension.class)
class RedisFleetIntegrationTests {

	private LettuceConnectionFactory connectionFactory;

	private StringRedisTemplate redis;

	private RedisJobQueue queue;

	@BeforeEach
	void flush(RedisServer server, LettuceConnectionFactory factory) {
		server.flushAll();
		this.connectionFactory = factory;
		this.redis = new StringRedisTemplate(factory);
		this.queue = new RedisJobQueue(connectionFactory, "gw");
	}

	@Test
	void entriesArePublishedReadBackAndRemovedAtACleanStop() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		FleetEntry draining = new FleetEntry("w-1", "pod-a", "1.2.0", WorkerState.DRAINING, now, 8, 2,
				List.of("job-1", "job-2"), now.plusSeconds(18), now.plusSeconds(20), now);
		FleetEntry running = running("w-2", now);
		this.queue.publish(draining, Duration.ofMinutes(1));
		this.queue.publish(running, Duration.ofMinutes(1));
		assertThat(this.queue.fleet()).containsExactlyInAnyOrder(draining, running);
		this.queue.leave("w-1");
		assertThat(this.queue.fleet()).containsExactly(running);
		assertThat(redis.keys("gw:{fleet}:*")).allSatisfy((key) -> assertThat(key).startsWith("gw:{fleet}:"));
	}

	@Test
	void anEntryLapsesUnlessPublishedAgainAndIsRemovedByTheNextPublish() {
		Instant now = Instant.now();
		this.queue.publish(running("gone", now), Duration.ofMillis(200));
		FleetEntry staying = running("staying", now);
		this.queue.publish(staying, Duration.ofMinutes(1));
		assertThat(this.queue.fleet()).hasSize(2);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.fleet().size() == 1);
		assertThat(this.queue.fleet()).extracting(FleetEntry::workerId).containsExactly("staying");
		assertThat(this.queue.publish(staying, Duration.ofMinutes(1))).isEmpty();
		assertThat(redis.opsForHash().keys("gw:{fleet}:workers")).containsExactly("staying");
		assertThat(this.queue.truncatedDrains()).isEmpty();
	}

	@Test
	void anEntryThatLapsesWhileDrainingIsReportedOnceWithItsShortfall() {
		Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.queue.publish(new FleetEntry("killed", "pod-a", null, WorkerState.DRAINING, seen, 4, 2,
				List.of("job-1", "job-2"), seen.plusSeconds(16), seen.plusSeconds(18), seen), Duration.ofMillis(200));
		this.queue.leave("nobody");
		List<TruncatedDrain> found = new java.util.ArrayList<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			found.addAll(this.queue.publish(running("observer", Instant.now()), Duration.ofMinutes(1)));
			return !found.isEmpty();
		});
		assertThat(found).singleElement().satisfies((truncated) -> {
			assertThat(truncated.workerId()).isEqualTo("killed");
			assertThat(truncated.jobIds()).containsExactly("job-1", "job-2");
			assertThat(truncated.lastSeen()).isEqualTo(seen);
			assertThat(truncated.stopBy()).isEqualTo(seen.plusSeconds(18));
			assertThat(truncated.shortfall()).isEqualTo(Duration.ofSeconds(18));
			assertThat(truncated.detectedAt()).isAfter(seen);
		});
		assertThat(this.queue.publish(running("observer", Instant.now()), Duration.ofMinutes(1))).isEmpty();
		assertThat(this.queue.truncatedDrains()).containsExactlyElementsOf(found);
		assertThat(this.queue.fleet()).extracting(FleetEntry::workerId).containsExactly("observer");
	}

	private static FleetEntry running(String id, Instant now) {
		return new FleetEntry(id, "pod", null, WorkerState.RUNNING, now, 1, 0, List.of(), null, null, now);
	}

}
