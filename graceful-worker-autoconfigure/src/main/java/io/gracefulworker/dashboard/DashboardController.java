package io.gracefulworker.dashboard;

import java.util.List;
import java.util.function.Supplier;

import io.gracefulworker.actuate.JobsEndpoint;
import io.gracefulworker.actuate.JobsEndpoint.JobDescriptor;
import io.gracefulworker.actuate.JobsEndpoint.RefusalDescriptor;
import io.gracefulworker.actuate.RecurringEndpoint;
import io.gracefulworker.actuate.RecurringEndpoint.ScheduleDescriptor;
import io.gracefulworker.actuate.WorkerEndpoint;
import io.gracefulworker.actuate.WorkerEndpoint.WorkerDescriptor;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the dashboard's page at {@code /graceful-worker/} and the JSON it reads: the worker's
 * view with the fleet, queues and truncated drains, cron schedules, a page of dead jobs, a job by id, and the
 * retry and delete of a dead job, which {@link DashboardWriteGuard} allows. It shows what the
 * {@code worker} and {@code jobs} endpoints show, never job arguments.
 */
@RestController
@RequestMapping("/graceful-worker")
public class DashboardController {

	private static final String PAGES = "io/gracefulworker/dashboard/";

	private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
			+ " connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

	private static final int DEAD_JOBS_SHOWN = 20;

	private static final int SCHEDULES_SHOWN = 50;

	private final WorkerEndpoint worker;

	private final JobsEndpoint jobs;

	private final DashboardWriteGuard guard;

	private final @Nullable RecurringEndpoint recurring;

	/**
	 * Creates the controller.
	 * @param worker what the {@code worker} endpoint shows
	 * @param jobs what the {@code jobs} endpoint shows and does
	 * @param guard the guard of writes
	 * @param recurring what the {@code recurring} endpoint shows, or {@code null}
	 */
	public DashboardController(WorkerEndpoint worker, JobsEndpoint jobs, DashboardWriteGuard guard,
			@Nullable RecurringEndpoint recurring) {
		this.worker = worker;
		this.jobs = jobs;
		this.guard = guard;
		this.recurring = recurring;
	}

	@GetMapping("")
	ResponseEntity<Void> redirect() {
		return ResponseEntity.status(HttpStatus.FOUND).header("Location", "graceful-worker/").build();
	}

	@GetMapping("/")
	ResponseEntity<Resource> page() {
		return asset("index.html", MediaType.TEXT_HTML);
	}

	@GetMapping("/dashboard.js")
	ResponseEntity<Resource> script() {
		return asset("dashboard.js", MediaType.valueOf("text/javascript"));
	}

	@GetMapping("/dashboard.css")
	ResponseEntity<Resource> style() {
		return asset("dashboard.css", MediaType.valueOf("text/css"));
	}

	private static ResponseEntity<Resource> asset(String name, MediaType type) {
		return ResponseEntity.ok()
			.contentType(type)
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.header("X-Frame-Options", "DENY")
			.body(new ClassPathResource(PAGES + name, DashboardController.class.getClassLoader()));
	}

	/**
	 * Returns what the page shows: the worker's view and the newest dead jobs, and whether it may
	 * act on them.
	 * @param queue the queue whose dead jobs to list, or every queue
	 * @return the overview
	 */
	@GetMapping("/api/overview")
	ResponseEntity<Overview> overview(@RequestParam(required = false) @Nullable String queue) {
		WebEndpointResponse<Object> dead = this.jobs.jobs("dead", queue, null, null, 0, DEAD_JOBS_SHOWN);
		Object deadJobs = (dead.getStatus() == WebEndpointResponse.STATUS_OK) ? dead.getBody() : null;
		List<ScheduleDescriptor> schedules = (this.recurring != null)
				? this.recurring.schedules(SCHEDULES_SHOWN).schedules() : List.of();
		Overview overview = new Overview(this.worker.worker(), deadJobs, schedules, this.guard.writable(),
				this.guard.token());
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(overview);
	}

	@GetMapping("/api/jobs/{id}")
	ResponseEntity<Object> job(@PathVariable String id) {
		JobDescriptor job = this.jobs.job(id);
		if (job == null) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new RefusalDescriptor("No job has the id " + id));
		}
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(job);
	}

	@PostMapping("/api/jobs/{id}/retry")
	ResponseEntity<Object> retry(@PathVariable String id, HttpServletRequest request) {
		return write(request, () -> this.jobs.act(id, "retry", null));
	}

	@PostMapping("/api/jobs/{id}/delete")
	ResponseEntity<Object> delete(@PathVariable String id, HttpServletRequest request) {
		return write(request, () -> this.jobs.delete(id));
	}

	private ResponseEntity<Object> write(HttpServletRequest request,
			Supplier<WebEndpointResponse<Object>> action) {
		String refusal = this.guard.refusal(request);
		if (refusal != null) {
			return ResponseEntity.status(HttpStatus.FORBIDDEN).body(new RefusalDescriptor(refusal));
		}
		WebEndpointResponse<Object> response = action.get();
		Object body = response.getBody();
		if (response.getStatus() == WebEndpointResponse.STATUS_NOT_FOUND && body == null) {
			body = new RefusalDescriptor("No job has that id");
		}
		return ResponseEntity.status(response.getStatus()).body(body);
	}

	/**
	 * What the dashboard's page reads each second.
	 *
	 * @param worker the worker's view, with the fleet, the queues and truncated drains
	 * @param deadJobs the newest dead jobs, or {@code null} if the job store did not answer
	 * @param recurring the first cron schedules, by job name
	 * @param writable whether the page may retry and delete dead jobs
	 * @param token the token the page sends with each write, when writable
	 */
	public record Overview(WorkerDescriptor worker, @Nullable Object deadJobs, List<ScheduleDescriptor> recurring,
			boolean writable, @Nullable String token) {
	}

}
