package io.gracefulworker.sample;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import io.gracefulworker.Recurring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The demo's jobs: one busy for a while, then recorded in the {@link Ledger}; one that always
 * fails, for the dead set; one that a cron schedule fires every ten seconds, recorded in the
 * {@link RecurringLedger}.
 */
@Component
public class DemoJobs {

	private final Ledger ledger;

	private final ObjectProvider<RecurringLedger> recurring;

	DemoJobs(Ledger ledger, ObjectProvider<RecurringLedger> recurring) {
		this.ledger = ledger;
		this.recurring = recurring;
	}

	@Job(name = "demo.tick", queue = "demo")
	public void tick(String batch, int index, long millis) throws InterruptedException {
		Thread.sleep(millis);
		this.ledger.executed(batch + ":" + index);
	}

	/**
	 * Fails every attempt, so that the dead set has something to show, list, retry and delete.
	 * @param reason the failure's message
	 */
	@Job(name = "demo.fail", queue = "demo", maxAttempts = 2)
	public void fail(String reason) {
		throw new IllegalStateException(reason);
	}

	/**
	 * Fired by its schedule, once per tick across every instance.
	 * @param context the execution, which names the tick
	 */
	@Job(name = RecurringLedger.JOB)
	@Recurring(cron = "*/10 * * * * *")
	public void recurring(JobContext context) {
		this.recurring.getObject().ran(context.scheduledFor().orElseThrow());
	}

}
