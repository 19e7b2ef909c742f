package io.gracefulworker.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import io.gracefulworker.core.JobRetention;
import io.gracefulworker.redis.RedisJobKeys;
import io.gracefulworker.redis.RedisLeaseLayout;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.data.redis.connection.lettuce.LettuceConnection.PipeliningFlushPolicy;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What Redis costs a job in this layout apart from the library's scripts: the scripts' commands on
 * their common path sent plain (no safe client's cost), the same commands in the smallest scripts
 * that still claim atomically and fence a completion by its token, and a variant of those in which
 * only the ids cross into Lua, at the price of a round trip more a claim.
 */
final class LayoutFloor {

	/**
	 * A claim and its completion: the ids popped off ready, their records read and, for each id
	 * no other claim owns, the owner and the worker's lease written, in one step; then, when every
	 * id is still owned by the claim's token, the owners and records removed. The scripts keep no
	 * outcome and take no hand-off, as the plain commands do.
	 */
	private static final String CLAIM = """
			local ids = redis.call('LPOP', KEYS[1], ARGV[1])
			if not ids then
				return {}
			end
			local records = redis.call('HMGET', KEYS[2], unpack(ids))
			local owned = redis.call('HMGET', KEYS[3], unpack(ids))
			local owners, result, n = {}, {}, 0
			for i, id in ipairs(ids) do
				if not owned[i] then
					owners[n + 1] = id
					owners[n + 2] = ARGV[2]
					result[n + 1] = id
					result[n + 2] = records[i]
					n = n + 2
				end
			end
			if n == 0 then
				return {}
			end
			redis.call('HSET', KEYS[3], unpack(owners))
			redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
			return result
			""";

	private static final String COMPLETE = """
			local current = redis.call('HMGET', KEYS[1], unpack(ARGV, 2))
			for i = 1, #current do
				if current[i] ~= ARGV[1] then
					return redis.error_reply('refused')
				end
			end
			redis.call('HDEL', KEYS[1], unpack(ARGV, 2))
			redis.call('HDEL', KEYS[2], unpack(ARGV, 2))
			return 0
			""";

	private static final String ENQUEUE = """
			redis.call('HSET', KEYS[1], unpack(ARGV))
			local ids = {}
			for i = 1, #ARGV / 2 do
				ids[i] = ARGV[2 * i - 1]
			end
			redis.call('RPUSH', KEYS[2], unpack(ids))
			return 0
			""";

	/**
	 * The claim with no record crossing into Lua: the same pop, owners and lease, returning the
	 * ids only, whose records the client then reads with a plain HMGET.
	 */
	private static final String CLAIM_IDS = """
			local ids = redis.call('LPOP', KEYS[1], ARGV[1])
			if not ids then
				return {}
			end
			local owned = redis.call('HMGET', KEYS[2], unpack(ids))
			local owners, result, n, r = {}, {}, 0, 0
			for i, id in ipairs(ids) do
				if not owned[i] then
					owners[n + 1] = id
					owners[n + 2] = ARGV[2]
					n = n + 2
					r = r + 1
					result[r] = id
				end
			end
			if n == 0 then
				return {}
			end
			redis.call('HSET', KEYS[2], unpack(owners))
			redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
			return result
			""";

	private final RedisUnderTest redis;

	private final String prefix;

	private final int batch;

	private final Consumer<String> stepEnded;

	/**
	 * Creates the measures.
	 * @param redis the Redis
	 * @param prefix the key prefix
	 * @param batch jobs a call
	 * @param stepEnded told the name of each step measured, when it ends (a profile is dumped)
	 */
	LayoutFloor(RedisUnderTest redis, String prefix, int batch, Consumer<String> stepEnded) {
		this.redis = redis;
		this.prefix = prefix;
		this.batch = batch;
		this.stepEnded = stepEnded;
	}

	/**
	 * Redis's cost a job for the commands the scripts run on their common path, sent as plain
	 * commands in pipelines: what the same layout would cost if Redis ran no Lua, which no
	 * client could do safely (nothing would fence a completion by its token).
	 */
	String plainCommands(int jobs, DoubleSupplier meter, String format) {
		return measure("plain", jobs, meter, format, new Steps() {

			@Override
			public void enqueue(RedisConnection connection, Keys keys, byte[][] ids, byte[] record) {
				Map<byte[], byte[]> records = records(ids, record);
				pipelined(connection, () -> {
					connection.hashCommands().hMSet(keys.jobs, records);
					connection.listCommands().rPush(keys.ready, ids);
				});
			}

			@Override
			public void claimAndComplete(RedisConnection connection, Keys keys, int claim) {
				String token = "plain:" + claim + ":";
				double leaseUntil = System.currentTimeMillis() + 300_000;
				List<byte[]> popped = connection.listCommands().lPop(keys.ready, LayoutFloor.this.batch);
				byte[][] ids = popped.toArray(new byte[0][]);
				Map<byte[], byte[]> owners = new LinkedHashMap<>();
				Set<Tuple> leases = new LinkedHashSet<>();
				for (int i = 0; i < ids.length; i++) {
					owners.put(ids[i], bytes(token + (i + 1)));
					leases.add(Tuple.of(ids[i], leaseUntil));
				}
				pipelined(connection, () -> {
					connection.hashCommands().hMGet(keys.jobs, ids);
					connection.hashCommands().hMGet(keys.owners, ids);
					connection.hashCommands().hMSet(keys.owners, owners);
					if (keys.perWorker) {
						connection.hashCommands().hSet(keys.holders, bytes("plain"), bytes(String.valueOf((long) leaseUntil)));
					}
					else {
						connection.zSetCommands().zAdd(keys.leases, leases);
					}
				});
				pipelined(connection, () -> {
					connection.hashCommands().hMGet(keys.owners, ids);
					if (!keys.perWorker) {
						connection.zSetCommands().zRem(keys.leases, ids);
					}
					connection.hashCommands().hDel(keys.owners, ids);
					connection.hashCommands().hDel(keys.jobs, ids);
				});
			}

		});
	}

	/**
	 * Redis's cost a job for the same commands in the smallest scripts that still keep a job
	 * queued or leased at every moment and refuse a completion whose token lost the job: the
	 * least that scripts over this layout can cost, against which the library's own scripts' work
	 * (hand-offs, cancels, duplicates, outcomes, checks of ids) shows. Leases are the worker's, as
	 * 'auto' keeps them.
	 */
	String minimalScripts(int jobs, DoubleSupplier meter, String format) {
		return measure("minimal", jobs, meter, format, new Steps() {

			private String enqueue;

			private String claim;

			private String complete;

			@Override
			public void enqueue(RedisConnection connection, Keys keys, byte[][] ids, byte[] record) {
				if (this.enqueue == null) {
					this.enqueue = connection.scriptingCommands().scriptLoad(bytes(ENQUEUE));
					this.claim = connection.scriptingCommands().scriptLoad(bytes(CLAIM));
					this.complete = connection.scriptingCommands().scriptLoad(bytes(COMPLETE));
				}
				byte[][] keysAndArgs = new byte[2 + 2 * ids.length][];
				keysAndArgs[0] = keys.jobs;
				keysAndArgs[1] = keys.ready;
				for (int i = 0; i < ids.length; i++) {
					keysAndArgs[2 + 2 * i] = ids[i];
					keysAndArgs[3 + 2 * i] = record;
				}
				connection.scriptingCommands().evalSha(this.enqueue, ReturnType.INTEGER, 2, keysAndArgs);
			}

			@Override
			public void claimAndComplete(RedisConnection connection, Keys keys, int claim) {
				byte[] token = bytes("minimal:" + claim + ":1");
				List<Object> claimed = connection.scriptingCommands()
					.evalSha(this.claim, ReturnType.MULTI, 4, keys.ready, keys.jobs, keys.owners, keys.holders,
							bytes(String.valueOf(LayoutFloor.this.batch)), token, bytes("minimal"),
							bytes(String.valueOf(System.currentTimeMillis() + 300_000)));
				byte[][] ids = new byte[claimed.size() / 2][];
				for (int i = 0; i < ids.length; i++) {
					ids[i] = (byte[]) claimed.get(2 * i);
				}
				complete(connection, keys, this.complete, token, ids);
			}

		});
	}

	/**
	 * Redis's cost a job for the least a design that fences completions could carry into Lua:
	 * enqueues as MULTI/EXEC (no hand-off could be decided), a claim script that returns the ids
	 * only, whose records the client reads with a plain HMGET (a round trip more a claim), and the
	 * smallest completion script. Only the ids cross into Lua and back.
	 */
	String leanestScripts(int jobs, DoubleSupplier meter, String format) {
		return measure("leanest", jobs, meter, format, new Steps() {

			private String claim;

			private String complete;

			@Override
			public void enqueue(RedisConnection connection, Keys keys, byte[][] ids, byte[] record) {
				if (this.claim == null) {
					this.claim = connection.scriptingCommands().scriptLoad(bytes(CLAIM_IDS));
					this.complete = connection.scriptingCommands().scriptLoad(bytes(COMPLETE));
				}
				Map<byte[], byte[]> records = records(ids, record);
				// The transaction written at once, as a script's call is.
				pipelined(connection, () -> {
					connection.multi();
					connection.hashCommands().hMSet(keys.jobs, records);
					connection.listCommands().rPush(keys.ready, ids);
					connection.exec();
				});
			}

			@Override
			public void claimAndComplete(RedisConnection connection, Keys keys, int claim) {
				byte[] token = bytes("leanest:" + claim + ":1");
				List<Object> claimed = connection.scriptingCommands()
					.evalSha(this.claim, ReturnType.MULTI, 3, keys.ready, keys.owners, keys.holders,
							bytes(String.valueOf(LayoutFloor.this.batch)), token, bytes("leanest"),
							bytes(String.valueOf(System.currentTimeMillis() + 300_000)));
				byte[][] ids = claimed.toArray(new byte[0][]);
				if (connection.hashCommands().hMGet(keys.jobs, ids).size() != ids.length) {
					throw new IllegalStateException("The claimed jobs' records were not read");
				}
				complete(connection, keys, this.complete, token, ids);
			}

		});
	}

	/**
	 * Redis's cost of a script call apart from the script's work: an empty script called one at a
	 * time, as each of a worker's threads calls (Redis waits for the next call, and wakes for it),
	 * then the same calls written two at a time, which Redis reads and answers together.
	 */
	String scriptCall(int calls, DoubleSupplier meter, String format) {
		try (WorkerNode node = new WorkerNode(this.redis, this.prefix + "-call", 0, JobRetention.NO_OUTCOMES)) {
			node.connectionFactory.setPipeliningFlushPolicy(PipeliningFlushPolicy.flushOnClose());
			try (RedisConnection connection = node.connectionFactory.getConnection()) {
				String script = connection.scriptingCommands().scriptLoad(bytes("return 1"));
				double start = meter.getAsDouble();
				for (int i = 0; i < calls; i++) {
					connection.scriptingCommands().evalSha(script, ReturnType.INTEGER, 0);
				}
				double alone = meter.getAsDouble();
				for (int i = 0; i < calls; i += 2) {
					pipelined(connection, () -> {
						connection.scriptingCommands().evalSha(script, ReturnType.INTEGER, 0);
						connection.scriptingCommands().evalSha(script, ReturnType.INTEGER, 0);
					});
				}
				double paired = meter.getAsDouble();
				return String.format(Locale.ROOT, "alone=" + format + " two_written_together=" + format,
						(alone - start) / calls, (paired - alone) / calls);
			}
		}
	}

	/**
	 * Enqueues the jobs a batch a call, then claims and completes them a batch a claim, on one
	 * connection, and returns Redis's cost a job for each.
	 */
	private String measure(String variant, int jobs, DoubleSupplier meter, String format, Steps steps) {
		try (WorkerNode node = new WorkerNode(this.redis, this.prefix + "-" + variant, 0, JobRetention.NO_OUTCOMES)) {
			RedisJobKeys names = node.queue.keys(WorkerNode.QUEUE);
			// A pipeline's commands written at once, as a script's call is (Spring's default writes
			// and flushes each command alone).
			node.connectionFactory.setPipeliningFlushPolicy(PipeliningFlushPolicy.flushOnClose());
			StringRedisTemplate redis = new StringRedisTemplate(node.connectionFactory);
			try {
				// A record as the client writes it, under each id.
				String id = node.client.enqueue("bench.noop").value();
				byte[] record = redis.<String, String>opsForHash().get(names.jobs(), id).getBytes(StandardCharsets.UTF_8);
				ScriptBenchmark.clear(node);
				// The run's lease layout: 'auto' keeps them per worker, as the fleet listed here honours it.
				Keys keys = new Keys(names, WorkerNode.leaseLayout != RedisLeaseLayout.PER_JOB);
				// Hashed encodings from the start, as the scripts' pins keep them (short records, 32 running).
				byte[] pin = bytes(RedisJobKeys.ENCODING_PIN);
				redis.executePipelined((RedisCallback<Object>) (connection) -> {
					connection.hashCommands().hSet(keys.jobs, pin, pin);
					connection.hashCommands().hSet(keys.owners, pin, pin);
					if (!keys.perWorker) {
						connection.zSetCommands().zAdd(keys.leases, Double.POSITIVE_INFINITY, pin);
					}
					return null;
				});
				// One connection for the whole run, as a worker keeps one: a pipeline of its own
				// would open a connection each time.
				try (RedisConnection connection = node.connectionFactory.getConnection()) {
					this.stepEnded.accept("before-" + variant);
					double start = meter.getAsDouble();
					for (int stored = 0; stored < jobs; stored += this.batch) {
						byte[][] ids = new byte[this.batch][];
						for (int i = 0; i < this.batch; i++) {
							ids[i] = bytes("floor-" + (stored + i));
						}
						steps.enqueue(connection, keys, ids, record);
					}
					double enqueued = meter.getAsDouble();
					this.stepEnded.accept("enqueue-" + variant);
					for (int claims = 1; claims * this.batch <= jobs; claims++) {
						steps.claimAndComplete(connection, keys, claims);
					}
					double done = meter.getAsDouble();
					this.stepEnded.accept("claim-and-complete-" + variant);
					return String.format(Locale.ROOT, "enqueue=" + format + " claim_and_complete=" + format,
							(enqueued - start) / jobs, (done - enqueued) / jobs);
				}
			}
			finally {
				ScriptBenchmark.clear(node);
			}
		}
	}

	/**
	 * Completes a claim's jobs through the smallest completion script.
	 */
	private static void complete(RedisConnection connection, Keys keys, String script, byte[] token, byte[][] ids) {
		byte[][] keysAndArgs = new byte[3 + ids.length][];
		keysAndArgs[0] = keys.owners;
		keysAndArgs[1] = keys.jobs;
		keysAndArgs[2] = token;
		System.arraycopy(ids, 0, keysAndArgs, 3, ids.length);
		connection.scriptingCommands().evalSha(script, ReturnType.INTEGER, 2, keysAndArgs);
	}

	private static Map<byte[], byte[]> records(byte[][] ids, byte[] record) {
		Map<byte[], byte[]> records = new LinkedHashMap<>();
		for (byte[] id : ids) {
			records.put(id, record);
		}
		return records;
	}

	private static void pipelined(RedisConnection connection, Runnable commands) {
		connection.openPipeline();
		commands.run();
		connection.closePipeline();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * How one variant enqueues a batch, and claims and completes one.
	 */
	private interface Steps {

		void enqueue(RedisConnection connection, Keys keys, byte[][] ids, byte[] record);

		void claimAndComplete(RedisConnection connection, Keys keys, int claim);

	}

	/**
	 * The queue's keys as bytes, and whether its leases are its workers'.
	 */
	private static final class Keys {

		final byte[] jobs;

		final byte[] ready;

		final byte[] owners;

		final byte[] leases;

		final byte[] holders;

		final boolean perWorker;

		Keys(RedisJobKeys keys, boolean perWorker) {
			this.jobs = bytes(keys.jobs());
			this.ready = bytes(keys.ready());
			this.owners = bytes(keys.owners());
			this.leases = bytes(keys.leases());
			this.holders = bytes(keys.holders());
			this.perWorker = perWorker;
		}

	}

}
