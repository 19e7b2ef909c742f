package io.gracefulworker.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Waits until replicas acknowledge the writes made so far on a connection (Redis's
 * {@code WAIT}), on the node that holds a given key. {@code WAIT} counts the writes of the
 * connection it runs on, so it runs on the very Lettuce connection that wrote: the shared one,
 * the master's behind Sentinel, or, on a Cluster, the node connection the key's slot routes to.
 */
final class RedisReplicaWait {

	private final int replicas;

	private final Duration timeout;

	RedisReplicaWait(int replicas, Duration timeout) {
		this.replicas = replicas;
		this.timeout = timeout;
	}

	boolean isEnabled() {
		return this.replicas > 0;
	}

	int replicas() {
		return this.replicas;
	}

	Duration timeout() {
		return this.timeout;
	}

	/**
	 * Returns how many replicas acknowledged the connection's writes within the timeout.
	 * @param connection the connection that wrote
	 * @param key a key the writes touched, which names the node on a Cluster
	 * @return the replicas that acknowledged, up to the number asked for or more
	 */
	long await(RedisConnection connection, String key) {
		Object nativeConnection = connection.getNativeConnection();
		RedisFuture<Long> acknowledged;
		if (nativeConnection instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster
				&& connection instanceof RedisClusterConnection clusterConnection) {
			RedisClusterNode node = clusterConnection.clusterGetNodeForKey(key.getBytes(StandardCharsets.UTF_8));
			acknowledged = cluster.getStatefulConnection()
				.getConnection(Objects.requireNonNull(node.getHost()), Objects.requireNonNull(node.getPort()))
				.async()
				.waitForReplication(this.replicas, this.timeout.toMillis());
		}
		else if (nativeConnection instanceof RedisClusterAsyncCommands<?, ?> commands) {
			acknowledged = commands.waitForReplication(this.replicas, this.timeout.toMillis());
		}
		else {
			throw new InvalidDataAccessApiUsageException("graceful-worker.enqueue.replicas needs a Lettuce connection, not "
					+ nativeConnection.getClass().getName());
		}
		try {
			// Redis answers WAIT when the timeout passes; the margin covers the round trip.
			Long count = acknowledged.get(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
			return (count != null) ? count : 0;
		}
		catch (TimeoutException ex) {
			return 0;
		}
		catch (ExecutionException ex) {
			throw new DataAccessResourceFailureException("WAIT failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DataAccessResourceFailureException("Interrupted while waiting for replicas", ex);
		}
	}

}
