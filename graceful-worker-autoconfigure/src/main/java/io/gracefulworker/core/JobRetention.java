package io.gracefulworker.core;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How long, and how many, ended jobs a queue keeps so that their status can be looked up:
 * succeeded (and cancelled) outcomes, and dead jobs.
 *
 * @param succeeded how long a succeeded job's outcome is kept; zero keeps none
 * @param succeededMax the most succeeded outcomes kept per queue
 * @param dead how long a dead job is kept
 * @param deadMax the most dead jobs kept per queue
 */
public record JobRetention(Duration succeeded, int succeededMax, Duration dead, int deadMax) {

	/** Keeps no succeeded outcome, and dead jobs for 7 days, at most 10,000 a queue. */
	public static final JobRetention NO_OUTCOMES = new JobRetention(Duration.ZERO, 0, Duration.ofDays(7), 10_000);

	public JobRetention {
		Assert.isTrue(!succeeded.isNegative(), "'succeeded' must not be negative");
		Assert.isTrue(succeededMax >= 0, "'succeededMax' must not be negative");
		Assert.isTrue(!dead.isNegative(), "'dead' must not be negative");
		Assert.isTrue(deadMax >= 0, "'deadMax' must not be negative");
	}

	/**
	 * Returns whether succeeded outcomes are kept.
	 * @return whether they are
	 */
	public boolean keepsOutcomes() {
		return !this.succeeded.isZero() && this.succeededMax > 0;
	}

}
