/**
 * Operations surface of the worker: the {@code worker} actuator endpoint, its health indicator,
 * Micrometer meters and observations.
 */
@NullMarked
package io.gracefulworker.actuate;

import org.jspecify.annotations.NullMarked;
