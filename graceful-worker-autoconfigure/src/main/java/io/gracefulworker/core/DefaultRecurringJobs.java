package io.gracefulworker.core;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.gracefulworker.Recurring.MissedTicks;
import io.gracefulworker.Recurring.Overlap;
import io.gracefulworker.RecurringJobs;
import io.gracefulworker.core.RecurringStore.ScheduleState;

/**
 * The {@link RecurringJobs} of a {@link RecurringStore}: schedules added here are declared by
 * {@link RecurringStore#PROGRAMMATIC}, so no prune removes them.
 */
public class DefaultRecurringJobs implements RecurringJobs {

	private final RecurringStore store;

	private final JobRegistry registry;

	private final Supplier<Collection<String>> queues;

	/**
	 * Creates the schedules' API.
	 * @param store where the schedules live
	 * @param registry the jobs this application defines
	 * @param queues the queues whose schedules to list, beside those of the defined jobs
	 */
	public DefaultRecurringJobs(RecurringStore store, JobRegistry registry, Supplier<Collection<String>> queues) {
		this.store = store;
		this.registry = registry;
		this.queues = queues;
	}

	@Override
	public void schedule(String job, String cron, ZoneId zone, MissedTicks missedTicks, Overlap overlap) {
		JobDefinition definition = this.registry.find(job)
			.orElseThrow(() -> new IllegalArgumentException("No @Job method is named '" + job + "' in this application"));
		RecurringSchedule schedule;
		try {
			schedule = definition.schedule(cron, zone, missedTicks, overlap);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("Job '" + job + "' cannot be scheduled: " + ex.getMessage(), ex);
		}
		Instant first = schedule.ticks().after(this.store.now());
		this.store.declare(RecurringStore.PROGRAMMATIC, List.of(schedule), (first != null) ? Map.of(job, first) : Map.of());
	}

	@Override
	public boolean unschedule(String job) {
		boolean removed = false;
		for (String queue : queues()) {
			removed |= this.store.remove(queue, job);
		}
		return removed;
	}

	@Override
	public List<ScheduleState> schedules() {
		List<ScheduleState> schedules = new ArrayList<>();
		for (String queue : queues()) {
			schedules.addAll(this.store.schedules(queue));
		}
		return schedules;
	}

	private Set<String> queues() {
		Set<String> queues = new LinkedHashSet<>(this.queues.get());
		this.registry.definitions().forEach((definition) -> queues.add(definition.queue()));
		return queues;
	}

}
