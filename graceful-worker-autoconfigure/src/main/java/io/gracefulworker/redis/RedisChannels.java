package io.gracefulworker.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.gracefulworker.core.CancelRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	private static final Log logger = LogFactory.getLog(RedisChannels.class);

	private final RedisConnectionFactory connectionFactory;

	private final String wakeChannel;

	private final String cancelChannel;

	RedisChannels(RedisConnectionFactory connectionFactory, String wakeChannel, String cancelChannel) {
		this.connectionFactory = connectionFactory;
		this.wakeChannel = wakeChannel;
		this.cancelChannel = cancelChannel;
	}

	AutoCloseable subscribe(Consumer<String> wakeUps, Consumer<CancelRequest> cancels, @Nullable HandOffs handOffs) {
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
		if (handOffs != null) {
			container.addMessageListener((message, pattern) -> {
				HandOff handOff;
				try {
					handOff = HandOff.parse(message.getBody());
				}
				catch (IllegalArgumentException ex) {
					logger.warn("Ignored a message on worker " + handOffs.worker() + "'s hand-off channel: "
							+ ex.getMessage());
					return;
				}
				handOffs.listener().accept(handOff);
			}, new ChannelTopic(this.wakeChannel + ":" + handOffs.worker()));
		}
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

	/**
	 * A worker's subscription to the jobs handed over to it.
	 *
	 * @param worker the worker id
	 * @param listener called with each job handed over
	 */
	record HandOffs(String worker, Consumer<HandOff> listener) {
	}

	/**
	 * A job handed over to a worker, as {@code enqueue_batch.lua} publishes it: the queue, id and
	 * token, each after its length in bytes and a colon, then the record.
	 *
	 * @param queue the queue
	 * @param id the job id
	 * @param token the fencing token of its lease
	 * @param record the stored record
	 */
	record HandOff(String queue, String id, String token, String record) {

		static HandOff parse(byte[] body) {
			int[] at = { 0 };
			String queue = next(body, at);
			String id = next(body, at);
			String token = next(body, at);
			return new HandOff(queue, id, token, new String(body, at[0], body.length - at[0], StandardCharsets.UTF_8));
		}

		private static String next(byte[] body, int[] at) {
			int length = 0;
			int i = at[0];
			while (i < body.length && body[i] != ':') {
				if (body[i] < '0' || body[i] > '9') {
					throw new IllegalArgumentException("Not a hand-off: a length holds a non-digit");
				}
				length = length * 10 + (body[i++] - '0');
			}
			if (i >= body.length || i + 1 + length > body.length) {
				throw new IllegalArgumentException("Not a hand-off: it ends early");
			}
			at[0] = i + 1 + length;
			return new String(body, i + 1, length, StandardCharsets.UTF_8);
		}

	}

	private record TextListener(Consumer<String> listener) implements MessageListener {

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			this.listener.accept(new String(message.getBody(), StandardCharsets.UTF_8));
		}

	}

}
