/**
 * The Redis {@link io.gracefulworker.core.JobQueue}: key names, and the Lua scripts (resources
 * beside this package) that make each state change of a job atomic.
 */
@NullMarked
package io.gracefulworker.redis;

import org.jspecify.annotations.NullMarked;
