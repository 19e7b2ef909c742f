/**
 * Test support for applications that use Graceful Worker: {@link AutoConfigureCapturedJobs}
 * captures enqueued jobs to assert and run on the test's thread without Redis, and
 * {@link AutoConfigureTestRedis} gives a test's application context a real Redis server of its
 * own.
 */
@NullMarked
package io.gracefulworker.test;

import org.jspecify.annotations.NullMarked;
