package io.gracefulworker.test.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A master, a replica and three Sentinels, each a {@code redis-server} child process on a free
 * port. Both data nodes refuse writes while no replica follows them ({@code min-replicas-to-write
 * 1}), the setting README recommends, so that a demoted master cannot take writes it will
 * discard.
 */
public final class RedisSentinel implements AutoCloseable {

	/**
	 * The name the Sentinels monitor the master under.
	 */
	public static final String MASTER_NAME = "gw-master";

	private static final Duration FAILOVER_RETRY = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(RedisSentinel.class);

	private static final List<String> DATA_NODE = List.of("--min-replicas-to-write", "1", "--min-replicas-max-lag",
			"5");

	private final List<RedisProcess> dataNodes = new ArrayList<>();

	private final List<RedisProcess> sentinels = new ArrayList<>();

	private RedisSentinel() {
	}

	/**
	 * Starts the master, its replica and three Sentinels, and waits until every Sentinel knows
	 * the replica and the other two.
	 * @return the running group
	 */
	public static RedisSentinel start() {
		RedisSentinel group = new RedisSentinel();
		try {
			group.form();
		}
		catch (IOException | RuntimeException ex) {
			group.close();
			throw new IllegalStateException("Could not start Redis with Sentinels", ex);
		}
		logger.info("Redis with Sentinels: master " + group.master().hostAndPort() + ", Sentinels "
				+ group.sentinelNodes() + ", version " + group.dataNodes.get(0).version());
		return group;
	}

	private void form() throws IOException {
		RedisProcess master = new RedisProcess(DATA_NODE);
		this.dataNodes.add(master);
		List<String> replica = new ArrayList<>(DATA_NODE);
		replica.addAll(List.of("--replicaof", master.host(), String.valueOf(master.port())));
		this.dataNodes.add(new RedisProcess(replica));
		String config = String.join("\n", "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port()
				+ " 2", "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
				"sentinel failover-timeout " + MASTER_NAME + " 10000",
				"sentinel parallel-syncs " + MASTER_NAME + " 1", "");
		for (int i = 0; i < 3; i++) {
			this.sentinels.add(new RedisProcess(List.of("--sentinel"), config));
		}
		RedisConditions.await("replication and Sentinel discovery", () -> isSettled(master));
	}

	/**
	 * Asks a Sentinel for a planned failover and waits until the replica is the master, the old
	 * master follows it, and every Sentinel knows the new layout.
	 * @param promoted called with the new master as soon as the Sentinels name it, before the
	 * old master follows it (Sentinel takes about ten more seconds to demote it)
	 */
	public void failover(Consumer<RedisProcess> promoted) throws IOException {
		RedisProcess before = master();
		RedisProcess after = other(before);
		long start = System.nanoTime();
		RedisProcess sentinel = this.sentinels.get(0);
		RespClient.command(sentinel.host(), sentinel.port(), "SENTINEL", "FAILOVER", MASTER_NAME);
		long[] asked = { start };
		RedisConditions.await("Sentinels to name the new master", () -> {
			if (this.sentinels.stream().allMatch((s) -> masterAddress(s).equals(after.hostAndPort()))) {
				return true;
			}
			// Sentinel accepts a failover and then aborts it when it finds no replica good enough
			// (one that has just followed a new master may not be yet), so it is asked again.
			if (System.nanoTime() - asked[0] > FAILOVER_RETRY.toNanos()
					&& masterAddress(sentinel).equals(before.hostAndPort())) {
				asked[0] = System.nanoTime();
				try {
					RespClient.command(sentinel.host(), sentinel.port(), "SENTINEL", "FAILOVER", MASTER_NAME);
				}
				catch (IOException ex) {
					// a failover in progress, or still no good replica: asked again later
				}
			}
			return false;
		});
		long promotion = System.nanoTime() - start;
		promoted.accept(after);
		RedisConditions.await("the old master to follow the new one", () -> isSettled(after));
		logger.info("Failover from " + before.hostAndPort() + " to " + after.hostAndPort() + ": promoted after "
				+ Duration.ofNanos(promotion).toMillis() + " ms, settled after "
				+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
	}

	private boolean isSettled(RedisProcess master) throws IOException {
		RedisProcess replica = other(master);
		String masterInfo = RespClient.command(master.host(), master.port(), "INFO", "replication");
		String replicaInfo = RespClient.command(replica.host(), replica.port(), "INFO", "replication");
		if (!masterInfo.contains("role:master") || !masterInfo.contains("connected_slaves:1")
				|| !replicaInfo.contains("master_port:" + master.port())
				|| !replicaInfo.contains("master_link_status:up")) {
			return false;
		}
		for (RedisProcess sentinel : this.sentinels) {
			String state = RespClient.command(sentinel.host(), sentinel.port(), "SENTINEL", "MASTER", MASTER_NAME);
			if (!masterAddress(sentinel).equals(master.hostAndPort()) || !field(state, "num-slaves").equals("1")
					|| !field(state, "num-other-sentinels").equals("2") || !field(state, "flags").equals("master")) {
				return false;
			}
		}
		return true;
	}

	private static String masterAddress(RedisProcess sentinel) {
		try {
			String address = RespClient.command(sentinel.host(), sentinel.port(), "SENTINEL",
					"GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
			return (address != null) ? address.replace('\n', ':') : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static String field(String reply, String name) {
		List<String> lines = reply.lines().toList();
		for (int i = 0; i + 1 < lines.size(); i += 2) {
			if (lines.get(i).equals(name)) {
				return lines.get(i + 1);
			}
		}
		return "";
	}

	/**
	 * Returns the data node that is master now.
	 * @return the master
	 */
	public RedisProcess master() {
		for (RedisProcess node : this.dataNodes) {
			try {
				if (RespClient.command(node.host(), node.port(), "INFO", "replication").contains("role:master")) {
					return node;
				}
			}
			catch (IOException ex) {
				// not this one
			}
		}
		throw new IllegalStateException("No data node is master");
	}

	/**
	 * Returns the data node that replicates the master now.
	 * @return the replica
	 */
	public RedisProcess replica() {
		return other(master());
	}

	private RedisProcess other(RedisProcess node) {
		return (this.dataNodes.get(0) == node) ? this.dataNodes.get(1) : this.dataNodes.get(0);
	}

	/**
	 * Returns the Sentinels as {@code spring.data.redis.sentinel.nodes} takes them.
	 * @return {@code host:port,host:port,host:port}
	 */
	public String sentinelNodes() {
		return this.sentinels.stream().map(RedisServer::hostAndPort).collect(Collectors.joining(","));
	}

	public List<String> springProperties() {
		return List.of("spring.data.redis.sentinel.master=" + MASTER_NAME,
				"spring.data.redis.sentinel.nodes=" + sentinelNodes());
	}

	@Override
	public void close() {
		this.sentinels.forEach(RedisProcess::stop);
		this.dataNodes.forEach(RedisProcess::stop);
	}

}
