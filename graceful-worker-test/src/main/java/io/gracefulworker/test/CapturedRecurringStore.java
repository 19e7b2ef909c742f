package io.gracefulworker.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.gracefulworker.core.RecurringSchedule;
import io.gracefulworker.core.RecurringStore;

/**
 * The {@link RecurringStore} of a context whose jobs are captured: it keeps the declared
 * schedules so that {@link io.gracefulworker.RecurringJobs} lists and removes them, and never
 * fires one, since no scheduler runs.
 */
final class CapturedRecurringStore implements RecurringStore {

	private final Map<String, ScheduleState> schedules = new ConcurrentHashMap<>();

	@Override
	public Instant now() {
		return Instant.now();
	}

	@Override
	public void declare(String workerId, Collection<RecurringSchedule> schedules, Map<String, Instant> firstTicks) {
		for (RecurringSchedule schedule : schedules) {
			this.schedules.put(key(schedule.queue(), schedule.job()), new ScheduleState(schedule,
					firstTicks.get(schedule.job()), null, null, 0, 0, 0, List.of(workerId)));
		}
	}

	@Override
	public DueTicks due(String queue, int limit) {
		return new DueTicks(now(), null, List.of());
	}

	@Override
	public Map<String, FireResult> fire(String queue, List<Fire> fires) {
		return Map.of();
	}

	@Override
	public List<String> prune(String queue, Collection<String> liveWorkers, Duration grace) {
		return List.of();
	}

	@Override
	public boolean remove(String queue, String job) {
		return this.schedules.remove(key(queue, job)) != null;
	}

	@Override
	public List<ScheduleState> schedules(String queue) {
		List<ScheduleState> states = new ArrayList<>();
		this.schedules.values().forEach((state) -> {
			if (state.schedule().queue().equals(queue)) {
				states.add(state);
			}
		});
		return states;
	}

	private static String key(String queue, String job) {
		return queue + "\u0000" + job;
	}

}
