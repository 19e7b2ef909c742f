package io.gracefulworker.redis;

import java.time.Duration;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Writes fleet registry entries (prefix {@code gw}) as workers of earlier builds wrote them, for
 * tests of the {@code auto} layouts.
 */
public final class EarlierBuildEntries {

	private EarlierBuildEntries() {
	}

	/**
	 * Lists a live worker as the release before this one writes its entry: with the record and
	 * lease layouts it reads, and no outcome layouts.
	 * @param redis the Redis
	 * @param id the worker id
	 * @param lapse how long the entry stays live
	 */
	public static void publishAsTheReleaseBefore(StringRedisTemplate redis, String id, Duration lapse) {
		publish(redis, id, lapse, (entry) -> {
			entry.putArray("recordLayouts").add("json").add("compact");
			entry.putArray("leaseLayouts").add("per-job").add("per-worker");
		});
	}

	/**
	 * Lists a live worker whose entry holds what {@code listing} adds beside the fields every
	 * build writes.
	 * @param redis the Redis
	 * @param id the worker id
	 * @param lapse how long the entry stays live
	 * @param listing adds the layouts the worker lists, if any
	 */
	public static void publish(StringRedisTemplate redis, String id, Duration lapse, Consumer<ObjectNode> listing) {
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
		listing.accept(entry);
		redis.opsForHash().put("gw:{fleet}:workers", id, entry.toString());
		redis.opsForZSet().add("gw:{fleet}:lapses", id, now + lapse.toMillis());
	}

	/**
	 * Removes a worker's entry.
	 * @param redis the Redis
	 * @param id the worker id
	 */
	public static void leave(StringRedisTemplate redis, String id) {
		redis.opsForHash().delete("gw:{fleet}:workers", id);
		redis.opsForZSet().remove("gw:{fleet}:lapses", id);
	}

}
