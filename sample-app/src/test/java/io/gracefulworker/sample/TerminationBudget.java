package io.gracefulworker.sample;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What a pod needs between the kubelet's SIGTERM and its SIGKILL: the preStop hook (which the
 * grace period includes), every shutdown phase that can wait for its timeout, and a margin for
 * bean destruction and the JVM's exit.
 *
 * @param preStop the preStop sleep
 * @param waitingPhases the lifecycle phases that can wait up to the timeout, each its own
 * @param timeoutPerPhase {@code spring.lifecycle.timeout-per-shutdown-phase}
 * @param margin what the JVM needs after the last phase
 */
record TerminationBudget(Duration preStop, SortedSet<Integer> waitingPhases, Duration timeoutPerPhase,
		Duration margin) {

	Duration required() {
		return this.preStop.plus(this.timeoutPerPhase.multipliedBy(this.waitingPhases.size())).plus(this.margin);
	}

	/**
	 * Returns why a grace period is too short, or empty if it covers the budget.
	 */
	Optional<String> problem(String deployment, Duration grace) {
		if (grace.compareTo(required()) >= 0) {
			return Optional.empty();
		}
		return Optional.of(deployment + ": terminationGracePeriodSeconds is " + grace.toSeconds() + "s, shorter than "
				+ required().toSeconds() + "s = preStop " + this.preStop.toSeconds() + "s + " + this.waitingPhases.size()
				+ " shutdown phases " + this.waitingPhases + " x " + this.timeoutPerPhase.toSeconds()
				+ "s (spring.lifecycle.timeout-per-shutdown-phase) + " + this.margin.toSeconds()
				+ "s for the JVM's exit: the kubelet would SIGKILL the pod mid-drain");
	}

}
