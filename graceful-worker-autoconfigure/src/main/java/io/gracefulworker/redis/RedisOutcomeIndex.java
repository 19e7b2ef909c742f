package io.gracefulworker.redis;

import java.util.function.BooleanSupplier;

/**
 * Says where the id of an outcome kept now is indexed, as the chosen {@link RedisOutcomeLayout}
 * and, under {@code AUTO}, the fleet decide: named as the scripts name it ({@code outcomes.lua}).
 */
final class RedisOutcomeIndex {

	private final RedisFleetLayouts fleetLayouts;

	private volatile BooleanSupplier lists = () -> false;

	RedisOutcomeIndex(RedisFleetLayouts fleetLayouts) {
		this.fleetLayouts = fleetLayouts;
	}

	void setLayout(RedisOutcomeLayout layout) {
		this.lists = switch (layout) {
			case AUTO -> this.fleetLayouts::outcomeLists;
			case SORTED_SET -> () -> false;
			case LIST -> () -> true;
		};
	}

	/**
	 * Returns the index an outcome kept now goes to.
	 * @return {@code list} or {@code sorted-set}
	 */
	String name() {
		return this.lists.getAsBoolean() ? "list" : "sorted-set";
	}

}
