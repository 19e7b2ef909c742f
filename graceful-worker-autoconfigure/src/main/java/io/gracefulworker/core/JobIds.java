package io.gracefulworker.core;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes job ids: random UUIDs (version 4) drawn from {@link ThreadLocalRandom}. A job id names
 * a job, it grants nothing (operations on a job need its lease's token or an authorized
 * endpoint), so it needs no secure random source, whose shared lock {@link UUID#randomUUID()}
 * takes on every call.
 */
public final class JobIds {

	private JobIds() {
	}

	/**
	 * Returns a new job id.
	 * @return a random UUID in its usual 36-character form
	 */
	public static String generate() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(most, least).toString();
	}

}
