package io.gracefulworker.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of the Redis job queue, loaded once from the resources beside this class.
 */
final class RedisJobScripts {

	final RedisScript<List> enqueueBatch = load("enqueue_batch", List.class);

	final RedisScript<List> claim = load("claim", List.class);

	final RedisScript<List> heartbeat = load("heartbeat", List.class);

	final RedisScript<List> completeBatch = load("complete_batch", List.class);

	final RedisScript<Long> fail = load("fail", Long.class);

	final RedisScript<Long> requeue = load("requeue", Long.class);

	final RedisScript<Long> checkpoint = load("checkpoint", Long.class);

	final RedisScript<List> recover = load("recover", List.class);

	final RedisScript<List> stats = load("stats", List.class);

	final RedisScript<Long> consume = load("consume", Long.class);

	final RedisScript<List> status = load("status", List.class);

	final RedisScript<String> cancel = load("cancel", String.class);

	final RedisScript<Long> cancelled = load("cancelled", Long.class);

	final RedisScript<List> deadList = load("dead_list", List.class);

	final RedisScript<Long> deadRetry = load("dead_retry", Long.class);

	final RedisScript<Long> deadDelete = load("dead_delete", Long.class);

	final RedisScript<List> trim = load("trim", List.class);

	final RedisScript<List> fleetPublish = load("fleet_publish", List.class);

	final RedisScript<List> fleet = load("fleet", List.class);

	final RedisScript<List> fleetReads = load("fleet_reads", List.class);

	final RedisScript<Long> recurringDeclare = load("recurring_declare", Long.class);

	final RedisScript<List> recurringDue = load("recurring_due", List.class);

	final RedisScript<List> recurringFire = load("recurring_fire", List.class);

	final RedisScript<List> recurringPrune = load("recurring_prune", List.class);

	final RedisScript<Long> recurringRemove = load("recurring_remove", Long.class);

	/**
	 * Reads a script once. A script built on a resource location asks the resource on every
	 * execution whether it changed, which the profiler showed to cost almost half of a worker's
	 * CPU time. A script that reads job records gets the record reader ({@code record.lua}) put
	 * before it, since a script cannot load another, and one that names a lease's worker gets
	 * {@code holders.lua}; one that frees the idempotency keys of removed jobs gets
	 * {@code free_keys.lua} after the record reader, and one that reads or indexes kept outcomes
	 * {@code outcomes.lua} after it; one that writes or reads the encoding pin
	 * gets {@code pin.lua}, and one that pins or unpins a jobs or idempotency hash
	 * {@code pin_hash.lua} after it.
	 */
	private static <T> RedisScript<T> load(String name, Class<T> resultType) {
		String text = read(name);
		if (text.contains("worker_of(")) {
			text = read("holders") + text;
		}
		if (text.contains("is_outcome(") || text.contains("outcome_ended_at(") || text.contains("index_outcome(")) {
			text = read("outcomes") + text;
		}
		if (text.contains("free_keys(") || text.contains("free_held(")) {
			text = read("free_keys") + text;
		}
		if (text.contains("decode_record(") || text.contains("is_compact_record(")) {
			text = read("record") + text;
		}
		if (text.contains("hset_pinned(") || text.contains("unpin_hash(")) {
			text = read("pin_hash") + text;
		}
		if (text.contains("PIN") || text.contains("unpin(")) {
			text = "local PIN = '" + RedisJobKeys.ENCODING_PIN + "'\n" + read("pin") + text;
		}
		return RedisScript.of(text, resultType);
	}

	private static String read(String name) {
		try {
			return new ClassPathResource(name + ".lua", RedisJobScripts.class).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the " + name + " script", ex);
		}
	}

}
