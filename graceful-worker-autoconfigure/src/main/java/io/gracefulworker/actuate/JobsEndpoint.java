package io.gracefulworker.actuate;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.gracefulworker.DeadJobPage;
import io.gracefulworker.DeadJobQuery;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@link Endpoint @Endpoint} that finds jobs and acts on them: a job's status by id
 * ({@code GET /actuator/jobs/{id}}), a page of the dead set ({@code GET /actuator/jobs?state=dead}
 * with {@code queue}, {@code name}, {@code reason}, {@code page} and {@code size}), cancel and
 * retry ({@code POST /actuator/jobs/{id}} with an {@code action}), retry of every matching dead
 * job ({@code POST /actuator/jobs}), and deletes ({@code DELETE}). Writes are refused unless
 * {@code management.endpoint.jobs.access=unrestricted}. It never shows job arguments.
 */
@Endpoint(id = "jobs", defaultAccess = Access.READ_ONLY)
public class JobsEndpoint {

	private final JobOperations operations;

	public JobsEndpoint(JobOperations operations) {
		this.operations = operations;
	}

	@ReadOperation
	public @Nullable JobDescriptor job(@Selector String id) {
		return this.operations.status(new JobId(id)).map(JobDescriptor::new).orElse(null);
	}

	@ReadOperation
	public WebEndpointResponse<Object> jobs(@Nullable String state, @Nullable String queue, @Nullable String name,
			@Nullable String reason, @Nullable Integer page, @Nullable Integer size) {
		return answer(() -> {
			DeadJobPage found = this.operations.deadJobs(query(state, queue, name, reason, page, size));
			return new DeadJobsDescriptor(found.jobs().stream().map(JobDescriptor::new).toList(), found.page(),
					found.size(), found.hasMore());
		});
	}

	/**
	 * Cancels or retries one job: {@code {"action": "cancel"}} (with {@code "interrupt": true}
	 * to interrupt a running job) or {@code {"action": "retry"}} for a dead job.
	 * @param id the job id
	 * @param action {@code cancel} or {@code retry}
	 * @param interrupt whether a cancel interrupts a running job
	 * @return the job after the action, 404 if no job has the id, 400 with the reason if the
	 * action does not apply
	 */
	@WriteOperation
	public WebEndpointResponse<Object> act(@Selector String id, String action, @Nullable Boolean interrupt) {
		JobId jobId = new JobId(id);
		if (this.operations.status(jobId).isEmpty()) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return answer(() -> {
			String result = switch (action) {
				case "cancel" -> this.operations.cancel(jobId, Boolean.TRUE.equals(interrupt)).name();
				case "retry" -> {
					this.operations.retryDead(jobId);
					yield "RETRIED";
				}
				default -> throw new IllegalArgumentException("Unknown action '" + action + "': use cancel or retry");
			};
			return new ActionDescriptor(result, null, this.operations.status(jobId).map(JobDescriptor::new).orElse(null));
		});
	}

	/**
	 * Retries every dead job that matches: {@code {"action": "retry", "state": "dead"}} with
	 * optional {@code queue}, {@code name} and {@code reason}.
	 * @param action {@code retry}
	 * @param state {@code dead}
	 * @param queue the queue, or every queue
	 * @param name the job name, or any
	 * @param reason the error reason, or any
	 * @return how many jobs were retried, or 400 with the reason
	 */
	@WriteOperation
	public WebEndpointResponse<Object> actOnAll(String action, @Nullable String state, @Nullable String queue,
			@Nullable String name, @Nullable String reason) {
		return answer(() -> {
			if (!"retry".equals(action)) {
				throw new IllegalArgumentException("Unknown action '" + action + "': only retry applies to many jobs");
			}
			return new ActionDescriptor("RETRIED",
					this.operations.retryDead(query(state, queue, name, reason, null, null)), null);
		});
	}

	/**
	 * Deletes a dead job.
	 * @param id the job id
	 * @return what was done, 404 if no job has the id, 400 with the reason if it is not dead
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> delete(@Selector String id) {
		JobId jobId = new JobId(id);
		if (this.operations.status(jobId).isEmpty()) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return answer(() -> {
			this.operations.deleteDead(jobId);
			return new ActionDescriptor("DELETED", 1, null);
		});
	}

	/**
	 * Deletes every dead job that matches: {@code DELETE /actuator/jobs?state=dead} with optional
	 * {@code queue}, {@code name} and {@code reason}.
	 * @param state {@code dead}
	 * @param queue the queue, or every queue
	 * @param name the job name, or any
	 * @param reason the error reason, or any
	 * @return how many jobs were deleted, or 400 with the reason
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> deleteAll(@Nullable String state, @Nullable String queue, @Nullable String name,
			@Nullable String reason) {
		return answer(() -> new ActionDescriptor("DELETED",
				this.operations.deleteDead(query(state, queue, name, reason, null, null)), null));
	}

	private static DeadJobQuery query(@Nullable String state, @Nullable String queue, @Nullable String name,
			@Nullable String reason, @Nullable Integer page, @Nullable Integer size) {
		if (!"dead".equals(state)) {
			throw new IllegalArgumentException("Only dead jobs are listed: give state=dead (state was " + state
					+ "); look any job up by id at /actuator/jobs/{id}");
		}
		return new DeadJobQuery(queue, name, reason, (page != null) ? page : 0,
				(size != null) ? size : DeadJobQuery.DEFAULT_PAGE_SIZE);
	}

	/**
	 * Answers with the action's result, or 400 with the reason it was refused: the error's
	 * message is shown whatever {@code server.error.include-message} says, as it names no
	 * argument value.
	 */
	private static WebEndpointResponse<Object> answer(Supplier<Object> action) {
		try {
			return new WebEndpointResponse<>(action.get());
		}
		catch (IllegalArgumentException ex) {
			return new WebEndpointResponse<>(new RefusalDescriptor(String.valueOf(ex.getMessage())),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	/**
	 * One job's status, without its arguments.
	 */
	public static final class JobDescriptor implements OperationResponseBody {

		private final JobStatus status;

		JobDescriptor(JobStatus status) {
			this.status = status;
		}

		public String getId() {
			return this.status.id().value();
		}

		public String getName() {
			return this.status.name();
		}

		public String getQueue() {
			return this.status.queue();
		}

		public String getState() {
			return this.status.state().name();
		}

		public int getAttempt() {
			return this.status.attempt();
		}

		public int getMaxAttempts() {
			return this.status.maxAttempts();
		}

		public @Nullable Instant getEnqueuedAt() {
			return this.status.enqueuedAt();
		}

		public @Nullable Instant getDueAt() {
			return this.status.dueAt();
		}

		public @Nullable Instant getStartedAt() {
			return this.status.startedAt();
		}

		public @Nullable Instant getFinishedAt() {
			return this.status.finishedAt();
		}

		public @Nullable String getWorker() {
			return this.status.worker();
		}

		public JobStatus.@Nullable LastError getLastError() {
			return this.status.lastError();
		}

		public int getRequeues() {
			return this.status.requeues();
		}

		public @Nullable String getRequeueReason() {
			return this.status.requeueReason();
		}

		public int getRetries() {
			return this.status.retries();
		}

	}

	/**
	 * A page of dead jobs, newest first.
	 *
	 * @param jobs the jobs
	 * @param page the page, from 0
	 * @param size the page size
	 * @param hasMore whether a later page has jobs
	 */
	public record DeadJobsDescriptor(List<JobDescriptor> jobs, int page, int size,
			boolean hasMore) implements OperationResponseBody {
	}

	/**
	 * Why a request was refused.
	 *
	 * @param error the reason
	 */
	public record RefusalDescriptor(String error) implements OperationResponseBody {
	}

	/**
	 * What an action did.
	 *
	 * @param result {@code CANCELLED}, {@code CANCELLING}, {@code RETRIED}, {@code DELETED}, ...
	 * @param count how many jobs it changed, for actions on many jobs
	 * @param job the job after the action, for actions on one job
	 */
	public record ActionDescriptor(String result, @Nullable Integer count,
			@Nullable JobDescriptor job) implements OperationResponseBody {
	}

}
