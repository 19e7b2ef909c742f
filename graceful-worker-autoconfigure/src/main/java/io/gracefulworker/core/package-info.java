/**
 * The worker, its lifecycle, the job registry and invoker, and the {@link io.gracefulworker.core.JobQueue}
 * storage SPI.
 */
@NullMarked
package io.gracefulworker.core;

import org.jspecify.annotations.NullMarked;
