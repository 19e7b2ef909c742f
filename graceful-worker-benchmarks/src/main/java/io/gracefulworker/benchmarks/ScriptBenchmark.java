package io.gracefulworker.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import io.gracefulworker.JobRequest;
import io.gracefulworker.core.ClaimedJob;
import io.gracefulworker.core.FinishedJob;
import io.gracefulworker.core.JobRetention;
import io.gracefulworker.redis.RedisJobKeys;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis's cost for each step of a job's life, from one client thread in calls of a fixed size:
 * every job enqueued, then claimed and completed as a worker of 64 slots would, with and without
 * kept outcomes. No worker runs, so the figures say what the scripts cost, apart from how a
 * worker's threads happen to batch its calls.
 */
final class ScriptBenchmark {

	private static final int BATCH = 32;

	private final RedisUnderTest redis;

	private final String prefix;

	private final BiConsumer<String, Object> figure;

	ScriptBenchmark(RedisUnderTest redis, String prefix, BiConsumer<String, Object> figure) {
		this.redis = redis;
		this.prefix = prefix;
		this.figure = figure;
	}

	/**
	 * Prints Redis's CPU time a job for each step.
	 * @param jobs how many jobs go through each step
	 */
	void run(int jobs) {
		DoubleSupplier micros = () -> this.redis.cpuSeconds() * 1e6;
		this.figure.accept("redis_cpu_us_per_job_by_script", measure(jobs, 0, WorkerNode.DEFAULT_RETENTION, micros, "%.2f",
				(phase) -> { }) + " (" + BATCH + " jobs a call, outcomes kept)");
		this.figure.accept("redis_cpu_us_per_job_by_script_no_outcomes",
				measure(jobs, 0, JobRetention.NO_OUTCOMES, micros, "%.2f", (phase) -> { }) + " (" + BATCH + " jobs a call)");
		this.figure.accept("redis_cpu_us_per_job_keeping_up", String.format(Locale.ROOT,
				"outcomes_kept=%.2f no_outcomes=%.2f (" + BATCH + " jobs enqueued, claimed and completed a call in turn)",
				keepingUp(jobs, WorkerNode.DEFAULT_RETENTION, false, micros),
				keepingUp(jobs, JobRetention.NO_OUTCOMES, false, micros)));
		LayoutFloor floor = new LayoutFloor(this.redis, this.prefix, BATCH, (step) -> { });
		this.figure.accept("redis_cpu_us_per_job_plain_commands", floor.plainCommands(jobs, micros, "%.2f")
				+ " (the scripts' commands without outcomes, sent alone in pipelines of " + BATCH
				+ " jobs: this layout's floor without Lua, which nothing could fence)");
		this.figure.accept("redis_cpu_us_per_job_minimal_scripts", floor.minimalScripts(jobs, micros, "%.2f")
				+ " (the same commands in the smallest scripts that claim atomically and fence a completion: the"
				+ " least any scripts over this layout cost)");
		this.figure.accept("redis_cpu_us_per_job_leanest_scripts", floor.leanestScripts(jobs, micros, "%.2f")
				+ " (enqueues as MULTI/EXEC, a claim script returning ids whose records a plain HMGET reads: only ids"
				+ " cross into Lua)");
		this.figure.accept("redis_cpu_us_per_script_call", floor.scriptCall(20_000, micros, "%.2f")
				+ " (an empty script called one at a time, then two written together: what a call costs Redis"
				+ " beyond its commands; times redis_script_calls_per_job, a job's share)");
	}

	/**
	 * Prints the instructions Redis ran a job for each step, for a Redis started under callgrind:
	 * the same on every run of the same code, where CPU time moves with the machine. Each step's
	 * profile is kept in a file of its own, for {@code callgrind_annotate}.
	 * @param jobs how many jobs go through each step
	 */
	void countInstructions(int jobs) {
		DoubleSupplier instructions = () -> this.redis.instructions();
		// Redis compiles a script the first time it runs it (EVAL after NOSCRIPT): a one-time cost
		// that put 750 instructions on each job of the first step measured.
		keepingUp(2 * BATCH, WorkerNode.DEFAULT_RETENTION, false, instructions);
		this.redis.dumpProfile("start");
		this.figure.accept("redis_instructions_per_job_by_script", measure(jobs, 0, WorkerNode.DEFAULT_RETENTION,
				instructions, "%.0f", this::dumpProfile) + " (" + BATCH + " jobs a call, outcomes kept)");
		this.figure.accept("redis_instructions_per_job_by_script_no_outcomes", measure(jobs, 0,
				JobRetention.NO_OUTCOMES, instructions, "%.0f", this::dumpProfile) + " (" + BATCH + " jobs a call)");
		// A busy queue keeps as many outcomes as it may: each completion then also removes the oldest.
		int cap = WorkerNode.DEFAULT_RETENTION.succeededMax();
		this.figure.accept("redis_instructions_per_job_by_script_at_the_cap", measure(jobs, cap,
				WorkerNode.DEFAULT_RETENTION, instructions, "%.0f", this::dumpProfile) + " (" + BATCH
				+ " jobs a call, outcomes kept, " + cap + " kept already)");
		this.figure.accept("redis_instructions_per_job_keeping_up", String.format(Locale.ROOT,
				"outcomes_kept=%.0f no_outcomes=%.0f (" + BATCH + " jobs enqueued, claimed and completed a call in turn,"
						+ " no backlog)",
				keepingUp(jobs, WorkerNode.DEFAULT_RETENTION, false, instructions),
				keepingUp(jobs, JobRetention.NO_OUTCOMES, false, instructions)));
		this.figure.accept("redis_instructions_per_job_keeping_up_with_idempotency_keys", String.format(Locale.ROOT,
				"outcomes_kept=%.0f no_outcomes=%.0f (the same, each job with a key of its own)",
				keepingUp(jobs, WorkerNode.DEFAULT_RETENTION, true, instructions),
				keepingUp(jobs, JobRetention.NO_OUTCOMES, true, instructions)));
		LayoutFloor floor = new LayoutFloor(this.redis, this.prefix, BATCH, this::dumpProfile);
		this.figure.accept("redis_instructions_per_job_plain_commands", floor.plainCommands(jobs, instructions, "%.0f")
				+ " (the scripts' commands without outcomes, each sent alone in pipelines of " + BATCH
				+ " jobs: this layout's floor without Lua)");
		this.figure.accept("redis_instructions_per_job_minimal_scripts", floor.minimalScripts(jobs, instructions, "%.0f")
				+ " (the same commands in the smallest scripts that claim atomically and fence a completion)");
		this.figure.accept("redis_instructions_per_job_leanest_scripts", floor.leanestScripts(jobs, instructions, "%.0f")
				+ " (enqueues as MULTI/EXEC, a claim script returning ids whose records a plain HMGET reads)");
		int cycles = Math.min(jobs, 1000);
		this.figure.accept("redis_instructions_per_job_one_at_a_time", String.format(Locale.ROOT,
				"idle=%.0f beside_63_leased=%.0f (each job enqueued, claimed and completed alone, outcomes kept)",
				oneAtATime(cycles, 0, instructions), oneAtATime(cycles, 63, instructions)));
		this.figure.accept("redis_profiles", this.dumpProfile("one-at-a-time").getParent()
				+ " (a callgrind file a step: callgrind_annotate --inclusive=yes <file>)");
	}

	private Path dumpProfile(String phase) {
		Path file = this.redis.dumpProfile(phase);
		this.figure.accept("redis_profile_" + phase.replace('-', '_'), file.getFileName());
		return file;
	}

	/**
	 * Redis's cost a job, all steps together, for a queue whose worker keeps up with its
	 * producers, as most do: a batch is enqueued, claimed and completed in turn, so the queue
	 * holds only the jobs in flight, and its hashes stay as small as that.
	 */
	private double keepingUp(int jobs, JobRetention retention, boolean keyed, DoubleSupplier meter) {
		try (WorkerNode node = new WorkerNode(this.redis, this.prefix + "-steady", 0, retention)) {
			try {
				List<JobRequest> requests = noops(BATCH);
				List<ClaimedJob> held = new ArrayList<>();
				Instant now = Instant.now();
				double start = meter.getAsDouble();
				for (int claims = 1; claims * BATCH <= jobs; claims++) {
					if (keyed) {
						requests = new ArrayList<>(BATCH);
						for (int i = 0; i < BATCH; i++) {
							requests.add(JobRequest.of("bench.noop").idempotencyKey("order-" + claims + "-" + i));
						}
					}
					node.client.enqueueAll(requests);
					held.addAll(node.queue.claim(WorkerNode.QUEUE, BATCH, Duration.ofMinutes(5), "steady:" + claims).jobs());
					// Two batches run at a time, as a worker of 64 slots keeps them.
					if (held.size() >= 2 * BATCH) {
						complete(node, held.subList(0, BATCH), now);
					}
				}
				complete(node, held, now);
				return (meter.getAsDouble() - start) / (jobs / BATCH * BATCH);
			}
			finally {
				clear(node);
			}
		}
	}

	/**
	 * Completes the given jobs in one call and removes them from the list.
	 */
	private static void complete(WorkerNode node, List<ClaimedJob> jobs, Instant startedAt) {
		List<FinishedJob> finished = new ArrayList<>(jobs.size());
		for (ClaimedJob job : jobs) {
			finished.add(new FinishedJob(job, startedAt, "scripts"));
		}
		if (!node.queue.complete(WorkerNode.QUEUE, finished).isEmpty()) {
			throw new IllegalStateException("A completion was refused");
		}
		jobs.clear();
	}

	/**
	 * Redis's cost a job for a queue that sees one job at a time, as a quiet service's does:
	 * where the batched figures hide what a script pays once a call, or once the queue empties.
	 */
	private double oneAtATime(int cycles, int leasedBeside, DoubleSupplier meter) {
		try (WorkerNode node = new WorkerNode(this.redis, this.prefix + "-single", 0, WorkerNode.DEFAULT_RETENTION)) {
			try {
				if (leasedBeside > 0) {
					node.client.enqueueAll(noops(leasedBeside));
					node.queue.claim(WorkerNode.QUEUE, leasedBeside, Duration.ofMinutes(5), "beside:1");
				}
				Instant now = Instant.now();
				double start = meter.getAsDouble();
				for (int i = 0; i < cycles; i++) {
					node.client.enqueue("bench.noop");
					List<ClaimedJob> claimed = node.queue
						.claim(WorkerNode.QUEUE, 1, Duration.ofMinutes(5), "single:" + (i + 1))
						.jobs();
					if (claimed.size() != 1
							|| !node.queue.complete(WorkerNode.QUEUE, List.of(new FinishedJob(claimed.get(0), now, "single")))
								.isEmpty()) {
						throw new IllegalStateException("Job " + i + " was not claimed and completed alone");
					}
				}
				return (meter.getAsDouble() - start) / cycles;
			}
			finally {
				clear(node);
			}
		}
	}

	private String measure(int jobs, int before, JobRetention retention, DoubleSupplier meter, String format,
			Consumer<String> stepEnded) {
		String outcomes = !retention.keepsOutcomes() ? "no-outcomes" : (before > 0) ? "at-the-cap" : "outcomes-kept";
		try (WorkerNode node = new WorkerNode(this.redis, this.prefix + "-scripts", 0, retention)) {
			try {
				List<JobRequest> requests = noops(BATCH);
				for (int stored = 0; stored < before; stored += BATCH) {
					node.client.enqueueAll(requests);
				}
				claimAndComplete(node, before);
				stepEnded.accept("before-" + outcomes);
				double start = meter.getAsDouble();
				for (int stored = 0; stored < jobs; stored += BATCH) {
					node.client.enqueueAll(requests);
				}
				double enqueued = meter.getAsDouble();
				stepEnded.accept("enqueue-" + outcomes);
				claimAndComplete(node, jobs);
				double done = meter.getAsDouble();
				stepEnded.accept("claim-and-complete-" + outcomes);
				return String.format(Locale.ROOT, "enqueue=" + format + " claim_and_complete=" + format,
						(enqueued - start) / jobs, (done - enqueued) / jobs);
			}
			finally {
				clear(node);
			}
		}
	}

	/**
	 * Claims and completes the given number of queued jobs as a worker of 64 slots would.
	 */
	private static void claimAndComplete(WorkerNode node, int jobs) {
		// A worker completes as it claims, so its owners and leases stay as small as its
		// slots: Redis keeps them in its compact encodings, whose writes cost as they grow.
		List<ClaimedJob> held = new ArrayList<>();
		Instant now = Instant.now();
		int completed = 0;
		int claims = 0;
		while (completed < jobs) {
			List<ClaimedJob> claimed = node.queue
				.claim(WorkerNode.QUEUE, BATCH, Duration.ofMinutes(5), "scripts:" + (++claims))
				.jobs();
			if (claimed.isEmpty() && held.isEmpty()) {
				throw new IllegalStateException("Claimed and completed " + completed + " of " + jobs + " jobs");
			}
			held.addAll(claimed);
			if (held.size() >= 2 * BATCH || held.size() >= jobs - completed) {
				List<ClaimedJob> batch = held.subList(0, Math.min(BATCH, held.size()));
				completed += batch.size();
				complete(node, batch, now);
			}
		}
	}

	private static List<JobRequest> noops(int count) {
		List<JobRequest> requests = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			requests.add(JobRequest.of("bench.noop"));
		}
		return requests;
	}

	static void clear(WorkerNode node) {
		RedisJobKeys keys = node.queue.keys(WorkerNode.QUEUE);
		new StringRedisTemplate(node.connectionFactory).unlink(List.of(keys.jobs(), keys.ready(), keys.leases(),
				keys.owners(), keys.holders(), keys.finished(), keys.outcomes(), keys.succeeded(), keys.idempotency()));
	}

}
