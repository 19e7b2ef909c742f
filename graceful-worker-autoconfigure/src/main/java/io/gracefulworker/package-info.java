/**
 * What users touch: {@link io.gracefulworker.Job @Job}, {@link io.gracefulworker.JobClient},
 * {@link io.gracefulworker.JobContext} and the {@link io.gracefulworker.Worker}.
 */
@NullMarked
package io.gracefulworker;

import org.jspecify.annotations.NullMarked;
