/**
 * The dashboard: a page served at {@code /graceful-worker/} that shows the fleet, the queues,
 * truncated drains and dead jobs, and its small JSON API.
 */
@NullMarked
package io.gracefulworker.dashboard;

import org.jspecify.annotations.NullMarked;
