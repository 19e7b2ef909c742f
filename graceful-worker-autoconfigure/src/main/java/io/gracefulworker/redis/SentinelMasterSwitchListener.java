package io.gracefulworker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.NamedNode;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;

/**
 * Listens to every Sentinel's {@code +switch-master} and, when the master the connection factory
 * uses moves, resets its shared connection so that the next command asks Sentinel for the new
 * master. Without it a connection stays on the old master until Sentinel demotes it, about ten
 * seconds in which writes are lost or refused; Lettuce's own master-replica refresh waits up to
 * five.
 */
public class SentinelMasterSwitchListener implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SentinelMasterSwitchListener.class);

	private static final String SWITCH_MASTER = "+switch-master";

	private final LettuceConnectionFactory connectionFactory;

	private final List<StatefulRedisPubSubConnection<String, String>> connections = new ArrayList<>();

	private @Nullable RedisClient client;

	// Not this object's lock: messages arrive on Lettuce's event loop, which start() may be waiting on.
	private final AtomicReference<@Nullable String> followed = new AtomicReference<>();

	private volatile boolean running;

	public SentinelMasterSwitchListener(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public synchronized void start() {
		RedisSentinelConfiguration sentinel = this.connectionFactory.getSentinelConfiguration();
		this.running = true;
		NamedNode named = (sentinel != null) ? sentinel.getMaster() : null;
		String master = (named != null) ? named.getName() : null;
		if (sentinel == null || master == null) {
			return;
		}
		RedisClient client = this.connectionFactory.getClientConfiguration()
			.getClientResources()
			.map(RedisClient::create)
			.orElseGet(RedisClient::create);
		this.client = client;
		if (this.connectionFactory.getClientConfiguration() instanceof LettucePoolingClientConfiguration) {
			logger.warn("Redis connections are pooled (spring.data.redis.lettuce.pool.enabled): after a Sentinel"
					+ " failover they reach the new master only once Sentinel demotes the old one, about ten seconds"
					+ " later; with min-replicas-to-write set, writes are refused meanwhile, not lost");
		}
		for (RedisNode node : sentinel.getSentinels()) {
			RedisURI.Builder uri = RedisURI.builder()
				.withHost(String.valueOf(node.getHost()))
				.withPort((node.getPort() != null) ? node.getPort() : RedisURI.DEFAULT_SENTINEL_PORT);
			if (sentinel.getSentinelPassword().isPresent()) {
				uri.withAuthentication(sentinel.getSentinelUsername(), sentinel.getSentinelPassword().get());
			}
			try {
				StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub(uri.build());
				connection.addListener(new RedisPubSubAdapter<>() {

					@Override
					public void message(String channel, String message) {
						switched(master, message);
					}

				});
				connection.sync().subscribe(SWITCH_MASTER);
				this.connections.add(connection);
			}
			catch (RedisException ex) {
				logger.warn("Could not subscribe to " + SWITCH_MASTER + " on Sentinel " + node.asString()
						+ ": after a failover, Redis connections follow the new master only once the old one drops"
						+ " them", ex);
			}
		}
	}

	private void switched(String master, String message) {
		// "<master> <old ip> <old port> <new ip> <new port>", once from each Sentinel
		String[] parts = message.split(" ");
		if (parts.length != 5 || !parts[0].equals(master)) {
			return;
		}
		String address = parts[3] + ":" + parts[4];
		if (address.equals(this.followed.getAndSet(address))) {
			return;
		}
		logger.info("Sentinel moved master '" + master + "' from " + parts[1] + ":" + parts[2] + " to " + address
				+ ": reconnecting to it");
		// Not on Lettuce's event loop, which closing the old connection needs.
		CompletableFuture.runAsync(this.connectionFactory::resetConnection);
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.connections.forEach(StatefulRedisPubSubConnection::close);
		this.connections.clear();
		if (this.client != null) {
			this.client.shutdown();
			this.client = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Before the worker starts and after it stops, so that its drain follows a failover too.
		return SmartLifecycle.DEFAULT_PHASE - 1;
	}

}
