package io.gracefulworker.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.Assert;

/**
 * Exponential backoff with jitter: between the attempts of a failing job, and between the
 * worker's own tries when its store does not answer.
 *
 * @param initial the delay after the first failed attempt
 * @param multiplier the factor applied to the delay after each further attempt
 * @param max the longest delay
 * @param jitter the share of each delay that is randomised, from 0 to 1
 */
public record Backoff(Duration initial, double multiplier, Duration max, double jitter) {

	public Backoff {
		Assert.isTrue(!initial.isNegative(), "'initial' must not be negative");
		Assert.isTrue(!max.isNegative(), "'max' must not be negative");
		Assert.isTrue(multiplier >= 1, "'multiplier' must be at least 1");
		Assert.isTrue(jitter >= 0 && jitter <= 1, "'jitter' must be between 0 and 1");
	}

	/**
	 * Returns the delay before the attempt after the given failed one.
	 * @param failedAttempt the attempt that failed, starting at 1
	 * @return the delay, never longer than {@link #max()}
	 */
	public Duration delayAfter(int failedAttempt) {
		return delayAfter(failedAttempt, ThreadLocalRandom.current().nextDouble());
	}

	/**
	 * Returns the delay before the attempt after the given failed one, for a given draw.
	 * @param failedAttempt the attempt that failed, starting at 1
	 * @param random a uniform draw in {@code [0, 1)} that places the delay within the jitter
	 * @return the delay, never longer than {@link #max()}
	 */
	Duration delayAfter(int failedAttempt, double random) {
		double base = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, failedAttempt - 1));
		double capped = Math.min(base, this.max.toMillis());
		double spread = capped * this.jitter;
		double delay = capped - spread + random * 2 * spread;
		return Duration.ofMillis(Math.max(0, Math.round(Math.min(delay, this.max.toMillis()))));
	}

}
