/**
 * Auto-configuration of Graceful Worker and its {@code graceful-worker.*} properties.
 */
@NullMarked
package io.gracefulworker.autoconfigure;

import org.jspecify.annotations.NullMarked;
