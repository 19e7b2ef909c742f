package io.gracefulworker.redis;

import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of the Redis job queue, loaded once from the resources beside this class.
 */
final class RedisJobScripts {

	final RedisScript<String> enqueue = load("enqueue", String.class);

	final RedisScript<List> claim = load("claim", List.class);

	final RedisScript<List> heartbeat = load("heartbeat", List.class);

	final RedisScript<Long> complete = load("complete", Long.class);

	final RedisScript<Long> fail = load("fail", Long.class);

	final RedisScript<Long> requeue = load("requeue", Long.class);

	final RedisScript<Long> checkpoint = load("checkpoint", Long.class);

	final RedisScript<List> recover = load("recover", List.class);

	final RedisScript<List> stats = load("stats", List.class);

	private static <T> RedisScript<T> load(String name, Class<T> resultType) {
		DefaultRedisScript<T> script = new DefaultRedisScript<>();
		script.setLocation(new ClassPathResource(name + ".lua", RedisJobScripts.class));
		script.setResultType(resultType);
		return script;
	}

}
