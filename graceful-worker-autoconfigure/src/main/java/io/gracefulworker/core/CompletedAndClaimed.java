package io.gracefulworker.core;

import java.util.Set;

/**
 * The result of {@link JobQueue#completeAndClaim}: the completions refused, and the claim.
 *
 * @param refused the ids whose completion was refused (their lease had been lost)
 * @param claimed the claim made after the completions were recorded
 */
public record CompletedAndClaimed(Set<String> refused, ClaimResult claimed) {
}
