package io.gracefulworker.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobRequest;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's HTTP surface: reports to render, and the demo's batches and ledger.
 */
@RestController
public class SampleController {

	private final JobClient jobs;

	private final Ledger ledger;

	private final RecurringLedger recurringLedger;

	private final VersionedJobs.Release release;

	SampleController(JobClient jobs, Ledger ledger, RecurringLedger recurringLedger, VersionedJobs.Release release) {
		this.recurringLedger = recurringLedger;
		this.jobs = jobs;
		this.ledger = ledger;
		this.release = release;
	}

	@PostMapping("/reports")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> render(@Valid @RequestBody ReportRequest request) {
		JobId id = this.jobs.enqueue("reports.render", request);
		return Map.of("id", id.value());
	}

	@PostMapping("/demo/batch")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> batch(@RequestParam int jobs, @RequestParam int millis,
			@RequestParam(required = false) Integer maxMillis, @RequestParam(defaultValue = "demo") String queue) {
		if (jobs < 1 || jobs > 100_000) {
			throw new IllegalArgumentException("jobs must be between 1 and 100000");
		}
		if (millis < 0 || millis > 60_000) {
			throw new IllegalArgumentException("millis must be between 0 and 60000");
		}
		int longest = (maxMillis != null) ? maxMillis : millis;
		if (longest < millis || longest > 60_000) {
			throw new IllegalArgumentException("maxMillis must be between millis and 60000");
		}
		String batch = UUID.randomUUID().toString().substring(0, 8);
		enqueueAll(batch, jobs, (i) -> JobRequest
			.of("demo.tick", batch, i, millis + ThreadLocalRandom.current().nextInt(longest - millis + 1))
			.queue(queue));
		return Map.of("batch", batch, "jobs", jobs);
	}

	@PostMapping("/demo/failures")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> failures(@RequestParam int jobs) {
		if (jobs < 1 || jobs > 1_000) {
			throw new IllegalArgumentException("jobs must be between 1 and 1000");
		}
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < jobs; i++) {
			ids.add(this.jobs.enqueue("demo.fail", "demo failure " + i).value());
		}
		return Map.of("ids", ids);
	}

	@PostMapping("/demo/versioned")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> versioned(@RequestParam int jobs) {
		if (jobs < 1 || jobs > 10_000) {
			throw new IllegalArgumentException("jobs must be between 1 and 10000");
		}
		String batch = "v-" + UUID.randomUUID().toString().substring(0, 8);
		enqueueAll(batch, jobs, (i) -> JobRequest.of("demo.versioned", this.release.arguments(batch, i).toArray()));
		return Map.of("batch", batch, "jobs", jobs);
	}

	/**
	 * Enqueues the jobs and records in the ledger the ones whose enqueue was acknowledged, not
	 * what was asked for, so a batch cut short by a Redis error shows no phantom missing jobs.
	 */
	private void enqueueAll(String batch, int count, IntFunction<JobRequest> request) {
		List<String> acknowledged = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				this.jobs.enqueue(request.apply(i));
				acknowledged.add(batch + ":" + i);
			}
		}
		finally {
			this.ledger.enqueued(acknowledged);
		}
	}

	@GetMapping("/demo/ledger")
	Map<String, Long> ledger() {
		return this.ledger.read();
	}

	/**
	 * Returns the ledger of the recurring job: each tick's runs across every instance.
	 * @return fires, ticks, duplicateTicks, missedTicks, firstTick and lastTick
	 */
	@GetMapping("/demo/recurring")
	Map<String, Object> recurring() {
		return this.recurringLedger.read();
	}

	@DeleteMapping("/demo/recurring")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void resetRecurring() {
		this.recurringLedger.reset();
	}

	@DeleteMapping("/demo/ledger")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void reset() {
		this.ledger.reset();
	}

}
