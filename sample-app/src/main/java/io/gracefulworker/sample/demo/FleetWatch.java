package io.gracefulworker.sample.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gracefulworker.WorkerState;
import io.gracefulworker.core.FleetEntry;
import io.gracefulworker.redis.RedisJobQueue;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Watches the whole fleet in the fleet registry on Redis, as an operator would during a
 * rollout: it prints every live worker once a second, and at once when one changes state, and
 * remembers the states each worker went through. It asks no instance.
 */
public final class FleetWatch implements AutoCloseable {

	private static final Duration PRINT_EVERY = Duration.ofSeconds(1);

	/** A drain of short jobs can end within a few hundred milliseconds, so the registry is read often. */
	private static final Duration READ_EVERY = Duration.ofMillis(25);

	private final LettuceConnectionFactory connections;

	private final RedisJobQueue registry;

	private final PrintStream out;

	private final Map<String, String> names = new ConcurrentHashMap<>();

	private final Map<String, List<WorkerState>> states = new ConcurrentHashMap<>();

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * Starts watching.
	 * @param host the Redis host
	 * @param port the Redis port
	 * @param out where to print
	 */
	public FleetWatch(String host, int port, PrintStream out) {
		this.out = out;
		this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		this.connections.afterPropertiesSet();
		this.connections.start();
		this.registry = new RedisJobQueue(this.connections, "gw");
		this.thread = new Thread(this::watch, "fleet-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Names a worker in the lines printed.
	 * @param workerId the worker's id
	 * @param name the instance's name
	 */
	public void name(String workerId, String name) {
		this.names.put(workerId, name);
	}

	/**
	 * Returns the states a worker was seen in, in order, each once per change.
	 * @param workerId the worker's id
	 * @return the states
	 */
	public List<String> states(String workerId) {
		return this.states.getOrDefault(workerId, List.of()).stream().map(WorkerState::name).toList();
	}

	private void watch() {
		long lastPrint = 0;
		while (this.running) {
			try {
				List<FleetEntry> fleet = this.registry.fleet();
				boolean changed = false;
				for (FleetEntry entry : fleet) {
					List<WorkerState> seen = this.states.computeIfAbsent(entry.workerId(),
							(id) -> new CopyOnWriteArrayList<>());
					if (seen.isEmpty() || seen.get(seen.size() - 1) != entry.state()) {
						seen.add(entry.state());
						changed = true;
					}
				}
				if (changed || System.nanoTime() - lastPrint >= PRINT_EVERY.toNanos()) {
					print(fleet);
					lastPrint = System.nanoTime();
				}
			}
			catch (RuntimeException ex) {
				this.out.println("  fleet: Redis did not answer (" + ex.getMessage() + ")");
			}
			try {
				Thread.sleep(READ_EVERY.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void print(List<FleetEntry> fleet) {
		Instant now = Instant.now();
		List<String> workers = new ArrayList<>();
		for (FleetEntry entry : fleet) {
			StringBuilder worker = new StringBuilder(name(entry))
				.append(' ')
				.append(entry.state())
				.append(' ')
				.append(entry.running())
				.append('/')
				.append(entry.concurrency());
			if (entry.drainDeadline() != null) {
				long left = Math.max(0, Duration.between(now, entry.drainDeadline()).toMillis());
				worker.append(String.format(Locale.ROOT, ", %.1f s left to drain", left / 1000.0));
			}
			workers.add(worker.toString());
		}
		workers.sort(null);
		LocalTime time = LocalTime.ofInstant(now, ZoneId.systemDefault()).truncatedTo(ChronoUnit.MILLIS);
		this.out.println("  fleet " + time + ": " + (workers.isEmpty() ? "no live worker" : String.join(" | ", workers)));
	}

	private String name(FleetEntry entry) {
		return this.names.getOrDefault(entry.workerId(), entry.workerId());
	}

	@Override
	public void close() {
		this.running = false;
		this.thread.interrupt();
		try {
			this.thread.join(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.connections.destroy();
	}

}
