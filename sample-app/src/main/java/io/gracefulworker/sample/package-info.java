/**
 * The sample application: a service whose background jobs run on Graceful Worker.
 */
package io.gracefulworker.sample;
