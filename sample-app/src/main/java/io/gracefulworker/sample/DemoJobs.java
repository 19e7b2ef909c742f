package io.gracefulworker.sample;

import io.gracefulworker.Job;

import org.springframework.stereotype.Component;

/**
 * The demo's job: busy for a while, then recorded in the {@link Ledger}.
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

}
