package io.gracefulworker.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.util.Assert;

/**
 * Exponential backoff with jitter between the attempts of a failing job.
 *
 * @param initialBackoff the delay after the first failed attempt
 * @param multiplier the factor applied to the delay after each further attempt
 * @param maxBackoff the longest delay
 * @param jitter the share of each delay that is randomised, from 0 to 1
 */
public record RetryPolicy(Duration initialBackoff, double multiplier, Duration maxBackoff, double jitter) {

	public RetryPolicy {
		Assert.isTrue(!initialBackoff.isNegative(), "'initialBackoff' must not be negative");
		Assert.isTrue(multiplier >= 1, "'multiplier' must be at least 1");
		Assert.isTrue(jitter >= 0 && jitter <= 1, "'jitter' must be between 0 and 1");
	}

	/**
	 * Returns the delay before the attempt after the given failed one.
	 * @param failedAttempt the attempt that failed, starting at 1
	 * @return the delay
	 */
	public Duration delayAfter(int failedAttempt) {
		double base = this.initialBackoff.toMillis() * Math.pow(this.multiplier, Math.max(0, failedAttempt - 1));
		double capped = Math.min(base, this.maxBackoff.toMillis());
		double spread = capped * this.jitter;
		double delay = capped - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread;
		return Duration.ofMillis(Math.max(0, Math.round(Math.min(delay, this.maxBackoff.toMillis()))));
	}

}
