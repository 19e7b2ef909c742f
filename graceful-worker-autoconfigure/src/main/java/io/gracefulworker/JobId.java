package io.gracefulworker;

import org.springframework.util.Assert;

/**
 * The identifier of one stored job.
 *
 * @param value the identifier as stored in Redis
 */
public record JobId(String value) {

	public JobId {
		Assert.hasText(value, "'value' must not be empty");
	}

	@Override
	public String toString() {
		return this.value;
	}

}
