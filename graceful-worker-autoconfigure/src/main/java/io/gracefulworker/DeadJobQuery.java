package io.gracefulworker;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Which dead jobs to list, retry or delete: all of them, or those of one queue, job name or
 * error reason; and for a listing, which page.
 *
 * @param queue the queue, or {@code null} for every queue
 * @param name the job name, or {@code null} for any
 * @param reason the error reason ({@code failed}, {@code unreadable}, {@code poison}, ...), or
 * {@code null} for any
 * @param page the page, from 0
 * @param size jobs per page, from 1 to {@value #MAX_PAGE_SIZE}
 */
public record DeadJobQuery(@Nullable String queue, @Nullable String name, @Nullable String reason, int page,
		int size) {

	/** The largest page. */
	public static final int MAX_PAGE_SIZE = 100;

	/** The page size when none is given. */
	public static final int DEFAULT_PAGE_SIZE = 20;

	public DeadJobQuery {
		Assert.isTrue(page >= 0, () -> "The page must be 0 or more, not " + page);
		Assert.isTrue(size >= 1 && size <= MAX_PAGE_SIZE,
				() -> "The page size must be between 1 and " + MAX_PAGE_SIZE + ", not " + size);
	}

	/**
	 * Returns a query for every dead job, first page.
	 * @return the query
	 */
	public static DeadJobQuery all() {
		return new DeadJobQuery(null, null, null, 0, DEFAULT_PAGE_SIZE);
	}

	public DeadJobQuery queue(@Nullable String queue) {
		return new DeadJobQuery(queue, this.name, this.reason, this.page, this.size);
	}

	public DeadJobQuery name(@Nullable String name) {
		return new DeadJobQuery(this.queue, name, this.reason, this.page, this.size);
	}

	public DeadJobQuery reason(@Nullable String reason) {
		return new DeadJobQuery(this.queue, this.name, reason, this.page, this.size);
	}

	public DeadJobQuery page(int page, int size) {
		return new DeadJobQuery(this.queue, this.name, this.reason, page, size);
	}

}
