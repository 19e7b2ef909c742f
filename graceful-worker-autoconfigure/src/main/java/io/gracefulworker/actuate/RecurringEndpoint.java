package io.gracefulworker.actuate;

import java.time.Instant;
import java.util.List;

import io.gracefulworker.JobState;
import io.gracefulworker.JobStatus;
import io.gracefulworker.RecurringJobs;
import io.gracefulworker.core.JobQueueOperations;
import io.gracefulworker.core.RecurringStore.ScheduleState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@link Endpoint @Endpoint} that lists the fleet's cron schedules: each one's cron and zone,
 * next tick, last tick with the state of the job it fired, and the ticks it skipped.
 */
@Endpoint(id = "recurring")
public class RecurringEndpoint {

	private final RecurringJobs recurring;

	private final JobQueueOperations jobs;

	/**
	 * Creates the endpoint.
	 * @param recurring the schedules
	 * @param jobs where the state of each schedule's last job is read, in that schedule's queue
	 */
	public RecurringEndpoint(RecurringJobs recurring, JobQueueOperations jobs) {
		this.recurring = recurring;
		this.jobs = jobs;
	}

	@ReadOperation
	public SchedulesDescriptor schedules() {
		return schedules(Integer.MAX_VALUE);
	}

	/**
	 * Returns the first schedules, by job name, reading the last job of those only.
	 * @param max the most to return
	 * @return the schedules
	 */
	public SchedulesDescriptor schedules(int max) {
		return new SchedulesDescriptor(this.recurring.schedules().stream().limit(max).map(this::describe).toList());
	}

	private ScheduleDescriptor describe(ScheduleState state) {
		String lastJob = state.lastJobId();
		JobState lastState = (lastJob != null)
				? this.jobs.status(state.schedule().queue(), lastJob).map(JobStatus::state).orElse(null) : null;
		return new ScheduleDescriptor(state.schedule().job(), state.schedule().queue(), state.schedule().cron(),
				state.schedule().zone().getId(), state.schedule().missedTicks().name(),
				state.schedule().overlap().name(), state.nextTick(), state.lastTick(), lastJob, lastState,
				state.fires(), state.missedSkipped(), state.overlapSkipped(), state.declaredBy());
	}

	/**
	 * The fleet's schedules.
	 *
	 * @param schedules every schedule, by job name
	 */
	public record SchedulesDescriptor(List<ScheduleDescriptor> schedules) implements OperationResponseBody {
	}

	/**
	 * One schedule.
	 *
	 * @param job the job it fires, which names it
	 * @param queue the job's queue
	 * @param cron the cron expression
	 * @param zone the zone it is read in
	 * @param missedTicks what happens to ticks missed while no worker ran
	 * @param overlap whether a tick fires while the previous job has not ended
	 * @param nextTick its next tick, or {@code null} if it never fires again
	 * @param lastTick the tick it last fired for
	 * @param lastJobId the job it last fired
	 * @param lastJobState that job's state ({@code null} once its outcome is no longer kept)
	 * @param fires jobs it fired
	 * @param missedSkipped ticks skipped as missed
	 * @param overlapSkipped ticks skipped while the previous job had not ended
	 * @param declaredBy the workers that declare it ({@code api} for a schedule added at run time)
	 */
	public record ScheduleDescriptor(String job, String queue, String cron, String zone, String missedTicks,
			String overlap, @Nullable Instant nextTick, @Nullable Instant lastTick, @Nullable String lastJobId,
			@Nullable JobState lastJobState, long fires, long missedSkipped, long overlapSkipped,
			List<String> declaredBy) {
	}

}
