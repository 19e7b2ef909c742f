package io.gracefulworker;

import java.util.List;

/**
 * One page of dead jobs, newest first.
 *
 * @param jobs the jobs of the page
 * @param page the page, from 0
 * @param size the page size asked for
 * @param hasMore whether a later page has jobs
 */
public record DeadJobPage(List<JobStatus> jobs, int page, int size, boolean hasMore) {
}
