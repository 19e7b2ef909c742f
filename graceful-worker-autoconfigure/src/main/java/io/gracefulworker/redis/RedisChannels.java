package io.gracefulworker.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.gracefulworker.core.JobQueue.CancelRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The pub/sub channels of the Redis job queue: wake-ups (a queue's name, published when jobs
 * may have become ready in it) and cancels ({@code interrupt:<id>} or {@code flag:<id>},
 * published when a running job is cancelled), on one subscription.
 */
final class RedisChannels {

	private final RedisConnectionFactory connectionFactory;

	private final String wakeChannel;

	private final String cancelChannel;

	RedisChannels(RedisConnectionFactory connectionFactory, String wakeChannel, String cancelChannel) {
		this.connectionFactory = connectionFactory;
		this.wakeChannel = wakeChannel;
		this.cancelChannel = cancelChannel;
	}

	AutoCloseable subscribe(Consumer<String> wakeUps, Consumer<CancelRequest> cancels) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(this.connectionFactory);
		// The listeners only signal: running them on the subscription's own thread spares a new
		// thread per message, which the container's default executor makes.
		container.setTaskExecutor(new SyncTaskExecutor());
		container.addMessageListener(new TextListener(wakeUps), new ChannelTopic(this.wakeChannel));
		container.addMessageListener(new TextListener((message) -> {
			int colon = message.indexOf(':');
			if (colon > 0) {
				cancels.accept(new CancelRequest(message.substring(colon + 1), message.startsWith("interrupt:")));
			}
		}), new ChannelTopic(this.cancelChannel));
		container.afterPropertiesSet();
		try {
			container.start();
		}
		catch (RuntimeException ex) {
			destroy(container);
			throw ex;
		}
		return () -> destroy(container);
	}

	private static void destroy(RedisMessageListenerContainer container) {
		try {
			container.destroy();
		}
		catch (Exception ex) {
			// the subscription is gone either way
		}
	}

	private record TextListener(Consumer<String> listener) implements MessageListener {

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			this.listener.accept(new String(message.getBody(), StandardCharsets.UTF_8));
		}

	}

}
