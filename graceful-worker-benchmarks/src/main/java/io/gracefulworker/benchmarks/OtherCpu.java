package io.gracefulworker.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The CPU the machine spent outside this JVM and the Redis under test between two points, in
 * cores: on a machine of two cores, another process's burst delays Redis or the worker by a
 * scheduler tick, which a latency percentile shows as milliseconds (a shell loop sampling Redis
 * ten times a second moved the pickup p99 from under 1 ms to 3-4).
 */
final class OtherCpu {

	// /proc/stat counts in USER_HZ, which Linux fixes at 100 a second for user space.
	private static final double TICKS_PER_SECOND = 100;

	private static final Path STAT = Path.of("/proc/stat");

	private final @Nullable RedisUnderTest redis;

	private final double machineStart;

	private final long jvmStart;

	private final double redisStart;

	private final long wallStart;

	OtherCpu(RedisUnderTest redis) {
		// A Redis on another host spends none of this machine's CPU.
		this.redis = isLocal(redis.host) ? redis : null;
		this.machineStart = machineBusySeconds();
		this.jvmStart = Benchmarks.processCpuNanos();
		this.redisStart = (this.redis != null) ? this.redis.cpuSeconds() : 0;
		this.wallStart = System.nanoTime();
	}

	/**
	 * Returns the share of a core spent by other processes since this was created, as the
	 * harness prints it, or {@code n/a} where {@code /proc/stat} cannot be read.
	 * @return the figure
	 */
	String since() {
		double machine = machineBusySeconds();
		if (Double.isNaN(machine) || Double.isNaN(this.machineStart)) {
			return "n/a (no /proc/stat)";
		}
		double jvm = (Benchmarks.processCpuNanos() - this.jvmStart) / 1e9;
		double redis = (this.redis != null) ? this.redis.cpuSeconds() - this.redisStart : 0;
		double wall = (System.nanoTime() - this.wallStart) / 1e9;
		double other = Math.max(0, (machine - this.machineStart) - jvm - redis);
		return String.format(Locale.ROOT, "%.2f", other / wall);
	}

	private static boolean isLocal(String host) {
		return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
	}

	// The machine's busy time (user, nice, system, irq, softirq) from the first line of /proc/stat.
	private static double machineBusySeconds() {
		try {
			String[] fields = Files.readAllLines(STAT).get(0).trim().split("\\s+");
			long busy = 0;
			for (int field : new int[] { 1, 2, 3, 6, 7 }) {
				busy += Long.parseLong(fields[field]);
			}
			return busy / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

}
