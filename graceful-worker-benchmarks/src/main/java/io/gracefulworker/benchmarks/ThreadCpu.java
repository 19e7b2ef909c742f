package io.gracefulworker.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's Java threads between two points, by thread name with the numbers left
 * out ({@code gw-job-N}, {@code lettuce-nioEventLoop-N-N}): where the client's CPU per job goes.
 * The JVM's own threads (JIT, GC) are not Java threads: what the process spent beyond its Java
 * threads is given as {@code jvm-internal}, and the JIT's compile time beside it.
 */
final class ThreadCpu {

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final Map<Long, Long> start = new HashMap<>();

	private final long processStart = Benchmarks.processCpuNanos();

	private final long compileStart = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();

	ThreadCpu() {
		for (ThreadInfo info : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (info != null) {
				this.start.put(info.getThreadId(), this.threads.getThreadCpuTime(info.getThreadId()));
			}
		}
	}

	/**
	 * Returns each thread group's CPU since this was made, in microseconds per job, and the
	 * process's CPU outside its Java threads.
	 * @param jobs the jobs run meanwhile
	 * @return {@code name=µs} pairs, largest first
	 */
	String perJob(int jobs) {
		Map<String, Long> byGroup = new TreeMap<>();
		for (ThreadInfo info : this.threads.getThreadInfo(this.threads.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			long cpu = this.threads.getThreadCpuTime(info.getThreadId());
			if (cpu < 0) {
				continue;
			}
			String group = info.getThreadName().replaceAll("\\d+", "N");
			byGroup.merge(group, cpu - this.start.getOrDefault(info.getThreadId(), 0L), Long::sum);
		}
		long javaThreads = byGroup.values().stream().mapToLong(Long::longValue).sum();
		byGroup.put("jvm-internal", Math.max(0, Benchmarks.processCpuNanos() - this.processStart - javaThreads));
		long compileMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - this.compileStart;
		return byGroup.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() * 10 >= jobs * 1000L)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.map((entry) -> entry.getKey() + "=" + String.format(java.util.Locale.ROOT, "%.1f",
					entry.getValue() / 1e3 / jobs))
			.collect(Collectors.joining(" ")) + " (jit-compile-ms=" + compileMillis + ")";
	}

}
