package io.gracefulworker.autoconfigure;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.gracefulworker.Worker;
import io.gracefulworker.core.JobDefinition;
import io.gracefulworker.core.JobRegistry;
import io.gracefulworker.core.WorkerView;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns at startup, once every job method is known, about each queue that jobs of this
 * application use but this worker does not consume: those jobs would wait in silence until a
 * worker that consumes the queue takes them.
 */
final class UnconsumedQueueReporter implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(UnconsumedQueueReporter.class);

	private final JobRegistry registry;

	private final Supplier<@Nullable Worker> worker;

	UnconsumedQueueReporter(JobRegistry registry, Supplier<@Nullable Worker> worker) {
		this.registry = registry;
		this.worker = worker;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Worker current = this.worker.get();
		Set<String> consumed = (current != null) ? WorkerView.of(current).queues() : Set.of();
		if (consumed.isEmpty()) {
			return;
		}
		Map<String, Set<String>> jobsByQueue = new TreeMap<>();
		for (JobDefinition job : this.registry.definitions()) {
			if (!consumed.contains(job.queue())) {
				jobsByQueue.computeIfAbsent(job.queue(), (queue) -> new TreeSet<>()).add(job.name());
			}
		}
		jobsByQueue.forEach((queue, jobs) -> logger.warn("Jobs " + jobs + " use queue '" + queue
				+ "', which this worker does not consume (it consumes " + consumed + "): they wait until a worker"
				+ " that consumes it takes them. To consume it here, set graceful-worker.worker.queues." + queue
				+ "=1 (listing queues replaces the default list, so list every queue this worker should read)"));
	}

}
