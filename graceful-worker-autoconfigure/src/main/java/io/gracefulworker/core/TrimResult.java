package io.gracefulworker.core;

/**
 * The result of {@link JobQueue#trim}.
 *
 * @param finished kept outcomes removed
 * @param dead dead jobs removed
 * @param deadLeft dead jobs left, or -1 if not known
 */
public record TrimResult(int finished, int dead, long deadLeft) {

	/** Nothing removed. */
	public static final TrimResult NONE = new TrimResult(0, 0, -1);

}
