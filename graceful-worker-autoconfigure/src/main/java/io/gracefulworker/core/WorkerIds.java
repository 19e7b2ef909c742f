package io.gracefulworker.core;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.UUID;

/**
 * Makes worker ids that are unique across processes and readable in the store and in logs.
 */
public final class WorkerIds {

	private WorkerIds() {
	}

	/**
	 * Returns a new id: host name, process id and a random part.
	 * @return the id
	 */
	public static String generate() {
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
