package io.gracefulworker.core;

/**
 * The result of {@link JobQueue#recover}.
 *
 * @param recovered jobs moved back to ready
 * @param dead jobs moved to the dead set as poison pills
 */
public record RecoverResult(int recovered, int dead) {
}
