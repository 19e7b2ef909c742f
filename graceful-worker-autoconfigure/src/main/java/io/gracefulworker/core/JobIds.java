package io.gracefulworker.core;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes job ids: 96 random bits from {@link ThreadLocalRandom} in 16 characters of URL-safe
 * Base64 ({@code A-Z a-z 0-9 - _}).
 * <p>
 * A job id names a job, it grants nothing (operations on a job need its lease's token or an
 * authorized endpoint), so it needs no secure random source, whose shared lock
 * {@link java.util.UUID#randomUUID()} takes on every call. Ninety-six bits make a repeat
 * negligible (about one chance in 10^10 among a billion ids) while a queued job stores its id
 * twice (in the ready list and as its record's field): 16 characters instead of a UUID's 36 save
 * about 36 bytes of Redis memory a queued job. Ids are opaque: those of earlier releases (UUIDs)
 * and of recurring ticks stay valid.
 */
public final class JobIds {

	/** How many characters an id has. */
	public static final int LENGTH = 16;

	private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		.toCharArray();

	private JobIds() {
	}

	/**
	 * Returns a new job id.
	 * @return 16 URL-safe Base64 characters
	 */
	public static String generate() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = random.nextLong();
		long low = random.nextInt();
		char[] id = new char[LENGTH];
		for (int i = 0; i < 10; i++) {
			id[i] = ALPHABET[(int) (high >>> (58 - 6 * i)) & 63];
		}
		// The last 4 bits of the long and the 32 bits of the int: 36 bits, six characters.
		long rest = ((high & 0xF) << 32) | (low & 0xFFFFFFFFL);
		for (int i = 0; i < 6; i++) {
			id[10 + i] = ALPHABET[(int) (rest >>> (30 - 6 * i)) & 63];
		}
		return new String(id);
	}

}
