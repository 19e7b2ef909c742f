/**
 * The rollout demo: two instances of the sample restarted one after the other while jobs run.
 */
package io.gracefulworker.sample.demo;
