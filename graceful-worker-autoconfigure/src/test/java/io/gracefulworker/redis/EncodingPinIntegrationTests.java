package io.gracefulworker.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.NewJob;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The entry that keeps a queue's owners and leases in hashed encodings ({@code pin.lua}) is never
 * taken for a job by a recovery pass, this release's or the one before it (whose script is kept
 * in {@code earlier/recover.lua}), which may run beside it in a rollout.
 */
@ExtendWith(RedisExtension.class)
class EncodingPinIntegrationTests {

	private static final Duration LEASE = Duration.ofSeconds(30);

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

	@ParameterizedTest
	@ValueSource(strings = { "this", "earlier" })
	void aRecoveryPassTakesBackExpiredAndLapsedJobsButNeverThePin(String release) throws IOException {
		List<NewJob> jobs = new ArrayList<>(List.of(job("expired"), job("lapsed")));
		for (int i = 0; i < 6; i++) {
			jobs.add(job("running-" + i));
		}
		this.queue.enqueueAll(jobs);
		// Eight at once: the claim pins.
		List<ClaimedJob> claimed = this.queue.claim("q", 8, LEASE, "w:1").jobs();
		assertThat(claimed).hasSize(8);
		this.redis.opsForZSet().add(this.keys.leases(), "expired", System.currentTimeMillis() - 1000);
		// As a worker that keeps leases per worker leaves a job when its lease lapses.
		this.redis.opsForZSet().remove(this.keys.leases(), "lapsed");
		this.redis.opsForHash().put(this.keys.owners(), "lapsed", "gone-worker:1:1");
		this.redis.opsForHash().put(this.keys.holders(), "gone-worker", String.valueOf(System.currentTimeMillis() - 1000));
		assertThat(this.redis.opsForHash().hasKey(this.keys.owners(), RedisJobKeys.ENCODING_PIN)).isTrue();

		long recovered = "this".equals(release) ? this.queue.recover("q", 3).recovered() : recoverAsEarlierRelease();

		assertThat(recovered).isEqualTo(2);
		assertThat(this.redis.opsForList().range(this.keys.ready(), 0, -1)).containsExactlyInAnyOrder("expired", "lapsed");
		assertThat(this.redis.opsForHash().keys(this.keys.owners())).containsExactlyInAnyOrder("running-0",
				"running-1", "running-2", "running-3", "running-4", "running-5", RedisJobKeys.ENCODING_PIN);
		assertThat(this.redis.opsForZSet().score(this.keys.leases(), RedisJobKeys.ENCODING_PIN))
			.isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(this.redis.opsForHash().hasKey(this.keys.jobs(), RedisJobKeys.ENCODING_PIN)).isFalse();
		assertThat(this.redis.opsForZSet().size(this.keys.dead())).isZero();
		assertThat(this.queue.stats("q").leased()).isEqualTo(6);
	}

	private long recoverAsEarlierRelease() throws IOException {
		String text = read("holders.lua", RedisJobScripts.class) + read("record.lua", RedisJobScripts.class)
				+ read("earlier/recover.lua", EncodingPinIntegrationTests.class);
		List<?> result = this.redis.execute(RedisScript.of(text, List.class),
				List.of(this.keys.leases(), this.keys.owners(), this.keys.jobs(), this.keys.ready(), this.keys.dead(),
						this.keys.scheduled(), this.keys.holders()),
				"3", "1000", "gw:wake", "q");
		return ((Number) result.get(0)).longValue();
	}

	private static String read(String path, Class<?> base) throws IOException {
		return new ClassPathResource(path, base).getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static NewJob job(String id) {
		return new NewJob(id, "test.job", "q", "[1]", 3, null, null, null, null);
	}

}
