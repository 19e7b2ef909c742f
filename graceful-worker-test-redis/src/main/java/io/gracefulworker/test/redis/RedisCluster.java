package io.gracefulworker.test.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A Redis Cluster of three masters, each a {@code redis-server} child process on a free port,
 * with the 16384 slots split between them; optionally a replica for each, with every node
 * refusing writes as a master while no replica follows it ({@code min-replicas-to-write 1}).
 */
public final class RedisCluster implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisCluster.class);

	private static final int SLOTS = 16384;

	private final List<RedisProcess> nodes = new ArrayList<>();

	private final List<RedisProcess> masters = new ArrayList<>();

	private RedisCluster(boolean replicas) {
		List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
				"--cluster-node-timeout", "5000"));
		if (replicas) {
			args.addAll(List.of("--min-replicas-to-write", "1", "--min-replicas-max-lag", "5"));
		}
		for (int i = 0; i < (replicas ? 6 : 3); i++) {
			this.nodes.add(new RedisProcess(args));
		}
		this.masters.addAll(this.nodes.subList(0, 3));
	}

	/**
	 * Starts three masters and waits until the cluster reports {@code cluster_state:ok}.
	 * @return the running cluster
	 */
	public static RedisCluster start() {
		return start(false);
	}

	/**
	 * Starts three masters with a replica each and waits until the cluster reports
	 * {@code cluster_state:ok} and every master has its replica.
	 * @return the running cluster
	 */
	public static RedisCluster startWithReplicas() {
		return start(true);
	}

	private static RedisCluster start(boolean replicas) {
		RedisCluster cluster = new RedisCluster(replicas);
		try {
			cluster.form();
		}
		catch (IOException | RuntimeException ex) {
			cluster.close();
			throw new IllegalStateException("Could not form a Redis Cluster", ex);
		}
		logger.info("Redis Cluster of three masters" + (replicas ? " with a replica each: " : ": ") + cluster.nodesProperty() + ", version "
				+ cluster.nodes.get(0).version());
		return cluster;
	}

	private void form() throws IOException {
		int per = SLOTS / this.masters.size();
		for (int n = 0; n < this.masters.size(); n++) {
			int from = n * per;
			int to = (n == this.masters.size() - 1) ? SLOTS - 1 : from + per - 1;
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			for (int slot = from; slot <= to; slot++) {
				command.add(String.valueOf(slot));
			}
			RedisProcess node = this.masters.get(n);
			RespClient.command(node.host(), node.port(), command.toArray(String[]::new));
		}
		RedisProcess first = this.nodes.get(0);
		for (RedisProcess node : this.nodes.subList(1, this.nodes.size())) {
			RespClient.command(first.host(), first.port(), "CLUSTER", "MEET", node.host(), String.valueOf(node.port()));
		}
		RedisConditions.await("every node to know the others", this::knowsAll);
		for (int n = this.masters.size(); n < this.nodes.size(); n++) {
			RedisProcess replica = this.nodes.get(n);
			String master = RespClient.command(this.masters.get(n - this.masters.size()).host(),
					this.masters.get(n - this.masters.size()).port(), "CLUSTER", "MYID");
			RespClient.command(replica.host(), replica.port(), "CLUSTER", "REPLICATE", master);
		}
		RedisConditions.await("cluster_state:ok with every replica in sync", this::isOk);
	}

	private boolean knowsAll() throws IOException {
		for (RedisProcess node : this.nodes) {
			String info = RespClient.command(node.host(), node.port(), "CLUSTER", "INFO");
			if (info == null || !info.contains("cluster_known_nodes:" + this.nodes.size())) {
				return false;
			}
		}
		return true;
	}

	private boolean isOk() throws IOException {
		for (RedisProcess node : this.nodes) {
			String info = RespClient.command(node.host(), node.port(), "CLUSTER", "INFO");
			if (info == null || !info.contains("cluster_state:ok")
					|| !info.contains("cluster_known_nodes:" + this.nodes.size())) {
				return false;
			}
			String replication = RespClient.command(node.host(), node.port(), "INFO", "replication");
			boolean master = replication.contains("role:master");
			if (this.nodes.size() > this.masters.size() && !(master ? replication.contains("connected_slaves:1")
					: replication.contains("master_link_status:up"))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Fails over, by {@code CLUSTER FAILOVER} on its replica, the master that holds a key, and
	 * waits until the replica is master, the old master follows it, and the cluster is ok.
	 * @param key the key
	 */
	public void failover(String key) throws IOException {
		RedisProcess master = masterFor(key);
		RedisProcess replica = replicaOf(master);
		String slot = slot(key);
		RedisConditions.await("cluster_state:ok with every replica in sync", this::isOk);
		long start = System.nanoTime();
		RedisProcess old = master;
		// A manual failover that does not complete within Redis's own five seconds (the replica
		// could not catch up) is abandoned; it is asked for again then.
		long[] asked = { 0 };
		RedisConditions.await("the replica to take over", () -> {
			if (System.nanoTime() - asked[0] > Duration.ofSeconds(6).toNanos()) {
				RespClient.command(replica.host(), replica.port(), "CLUSTER", "FAILOVER");
				asked[0] = System.nanoTime();
			}
			return RespClient.command(replica.host(), replica.port(), "INFO", "replication").contains("role:master")
					&& servesSlot(replica, Integer.parseInt(slot));
		});
		RedisConditions.await("cluster_state:ok with the old master following", () -> isOk()
				&& RespClient.command(old.host(), old.port(), "INFO", "replication").contains("role:slave"));
		logger.info("Cluster failover of slot " + slot + " from " + old.hostAndPort() + " to " + replica.hostAndPort()
				+ " in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
	}

	/**
	 * Returns the node that replicates the master holding a key.
	 * @param key the key
	 * @return the replica
	 */
	public RedisProcess replicaFor(String key) throws IOException {
		return replicaOf(masterFor(key));
	}

	private RedisProcess masterFor(String key) throws IOException {
		String slot = slot(key);
		for (RedisProcess node : this.nodes) {
			if (servesSlot(node, Integer.parseInt(slot))) {
				return node;
			}
		}
		throw new IllegalStateException("No master serves slot " + slot);
	}

	private String slot(String key) throws IOException {
		RedisProcess first = this.nodes.get(0);
		return RespClient.command(first.host(), first.port(), "CLUSTER", "KEYSLOT", key);
	}

	private static boolean servesSlot(RedisProcess node, int slot) throws IOException {
		for (String line : RespClient.command(node.host(), node.port(), "CLUSTER", "NODES").split("\n")) {
			String[] fields = line.split(" ");
			if (fields.length < 9 || !fields[2].contains("myself") || !fields[2].contains("master")) {
				continue;
			}
			for (int i = 8; i < fields.length; i++) {
				String[] range = fields[i].split("-");
				if (range[0].startsWith("[")) {
					continue;
				}
				int from = Integer.parseInt(range[0]);
				int to = Integer.parseInt(range[range.length - 1]);
				if (slot >= from && slot <= to) {
					return true;
				}
			}
		}
		return false;
	}

	private RedisProcess replicaOf(RedisProcess master) throws IOException {
		for (RedisProcess node : this.nodes) {
			String replication = RespClient.command(node.host(), node.port(), "INFO", "replication");
			if (replication.contains("role:slave") && replication.contains("master_port:" + master.port())) {
				return node;
			}
		}
		throw new IllegalStateException("Master " + master.hostAndPort() + " has no replica");
	}

	/**
	 * Returns the nodes as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return {@code host:port,host:port,host:port}
	 */
	public String nodesProperty() {
		return this.nodes.stream().map(RedisServer::hostAndPort).collect(Collectors.joining(","));
	}

	public List<String> springProperties() {
		return List.of("spring.data.redis.cluster.nodes=" + nodesProperty());
	}

	/**
	 * Returns which node holds a key.
	 * @param key the key
	 * @return the index of the node, from 0 to 2
	 */
	public int nodeOf(String key) throws IOException {
		RedisProcess first = this.nodes.get(0);
		int slot = Integer.parseInt(RespClient.command(first.host(), first.port(), "CLUSTER", "KEYSLOT", key));
		return Math.min(slot / (SLOTS / this.masters.size()), this.masters.size() - 1);
	}

	public List<RedisServer> nodes() {
		return List.copyOf(this.nodes);
	}

	@Override
	public void close() {
		this.nodes.forEach(RedisProcess::stop);
	}

}
