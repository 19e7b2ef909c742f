package io.gracefulworker.core;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.springframework.util.Assert;

/**
 * The order in which a worker claims from its queues: a weighted random order
 * (Efraimidis-Spirakis), so that a queue of weight w comes first w times as often as a queue of
 * weight 1, and no queue starves.
 */
final class QueueOrder {

	private final Map<String, Integer> weights;

	private final List<String> names;

	QueueOrder(Map<String, Integer> weights) {
		Assert.notEmpty(weights, "'weights' must name at least one queue");
		this.weights = new LinkedHashMap<>(weights);
		this.names = List.copyOf(weights.keySet());
	}

	List<String> next() {
		return next(ThreadLocalRandom.current());
	}

	List<String> next(RandomGenerator random) {
		if (this.names.size() == 1) {
			return this.names;
		}
		Map<String, Double> keys = new LinkedHashMap<>();
		this.weights.forEach((name, weight) -> keys.put(name,
				-Math.log(random.nextDouble(Double.MIN_VALUE, 1)) / Math.max(1, weight)));
		return keys.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
			.map(Map.Entry::getKey)
			.toList();
	}

}
