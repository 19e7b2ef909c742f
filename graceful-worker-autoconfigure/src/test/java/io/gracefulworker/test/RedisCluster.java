package io.gracefulworker.test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A Redis Cluster of three masters, each a {@code redis-server} child process on a free port,
 * with the 16384 slots split between them.
 */
public final class RedisCluster implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisCluster.class);

	private static final int SLOTS = 16384;

	private final List<RedisProcess> nodes = new ArrayList<>();

	private RedisCluster() {
		for (int i = 0; i < 3; i++) {
			this.nodes.add(new RedisProcess(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "5000")));
		}
	}

	/**
	 * Starts three masters and waits until the cluster reports {@code cluster_state:ok}.
	 * @return the running cluster
	 */
	public static RedisCluster start() {
		RedisCluster cluster = new RedisCluster();
		try {
			cluster.form();
		}
		catch (IOException | RuntimeException ex) {
			cluster.close();
			throw new IllegalStateException("Could not form a Redis Cluster", ex);
		}
		logger.info("Redis Cluster of three masters: " + cluster.nodesProperty() + ", version "
				+ cluster.nodes.get(0).version());
		return cluster;
	}

	private void form() throws IOException {
		int per = SLOTS / this.nodes.size();
		for (int n = 0; n < this.nodes.size(); n++) {
			int from = n * per;
			int to = (n == this.nodes.size() - 1) ? SLOTS - 1 : from + per - 1;
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			for (int slot = from; slot <= to; slot++) {
				command.add(String.valueOf(slot));
			}
			RedisProcess node = this.nodes.get(n);
			RespClient.command(node.host(), node.port(), command.toArray(String[]::new));
		}
		RedisProcess first = this.nodes.get(0);
		for (RedisProcess node : this.nodes.subList(1, this.nodes.size())) {
			RespClient.command(first.host(), first.port(), "CLUSTER", "MEET", node.host(), String.valueOf(node.port()));
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!isOk()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Cluster did not reach cluster_state:ok");
			}
			Thread.onSpinWait();
		}
	}

	private boolean isOk() throws IOException {
		for (RedisProcess node : this.nodes) {
			String info = RespClient.command(node.host(), node.port(), "CLUSTER", "INFO");
			if (info == null || !info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:3")) {
				return false;
			}
		}
		return true;
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
		return Math.min(slot / (SLOTS / this.nodes.size()), this.nodes.size() - 1);
	}

	public List<RedisServer> nodes() {
		return List.copyOf(this.nodes);
	}

	@Override
	public void close() {
		this.nodes.forEach(RedisProcess::stop);
	}

}
