package io.gracefulworker.sample;

import io.gracefulworker.Job;

import org.springframework.stereotype.Component;

/**
 * The demo's jobs: one busy for a while, then recorded in the {@link Ledger}; one that always
 * fails, for the dead set.
 */
@Component
public class DemoJobs {

	private final Ledger ledger;

	DemoJobs(Ledger ledger) {
		this.ledger = ledger;
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

}
