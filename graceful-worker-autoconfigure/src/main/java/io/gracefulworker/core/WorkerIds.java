package io.gracefulworker.core;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

/**
 * Makes worker ids that are unique across processes and readable in Redis and logs.
 */
final class WorkerIds {

	private WorkerIds() {
	}

	static String generate() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown";
		}
		long pid = ManagementFactory.getRuntimeMXBean().getPid();
		return host + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
