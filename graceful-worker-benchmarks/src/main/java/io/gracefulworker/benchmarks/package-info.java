/**
 * The benchmark harness: an executable jar that prints the worker's figures.
 */
package io.gracefulworker.benchmarks;
