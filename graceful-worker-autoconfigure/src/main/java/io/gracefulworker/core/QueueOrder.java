package io.gracefulworker.core;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import org.springframework.util.Assert;

/**
 * How a worker divides its free slots among its queues: slot by slot in smooth weighted round
 * robin, so that over any run of claims each queue gets its weight's share of the slots and a
 * job on a light queue waits at most one round (the sum of the weights) of freed slots. Slots a
 * queue cannot fill go to the others in a weighted random order (Efraimidis-Spirakis).
 */
final class QueueOrder {

	private final List<String> names;

	private final int[] weights;

	private final int[] credit;

	private final int total;

	QueueOrder(Map<String, Integer> weights) {
		Assert.notEmpty(weights, "'weights' must name at least one queue");
		weights.forEach((name, weight) -> Assert.isTrue(weight >= 1, () -> "the weight of queue '" + name
				+ "' must be at least 1, but is " + weight));
		this.names = List.copyOf(weights.keySet());
		this.weights = weights.values().stream().mapToInt(Integer::intValue).toArray();
		this.credit = new int[this.weights.length];
		this.total = IntStream.of(this.weights).sum();
	}

	/**
	 * Shares free slots among the queues; not thread-safe, called by the dispatcher alone.
	 * @param slots the free slots
	 * @return each queue's share, queues with a share first in the order they were first picked
	 */
	Map<String, Integer> share(int slots) {
		Map<String, Integer> shares = new LinkedHashMap<>();
		if (this.names.size() == 1) {
			shares.put(this.names.get(0), slots);
			return shares;
		}
		for (int slot = 0; slot < slots; slot++) {
			int picked = 0;
			for (int i = 0; i < this.credit.length; i++) {
				this.credit[i] += this.weights[i];
				if (this.credit[i] > this.credit[picked]) {
					picked = i;
				}
			}
			this.credit[picked] -= this.total;
			shares.merge(this.names.get(picked), 1, Integer::sum);
		}
		return shares;
	}

	/**
	 * Returns every queue in a weighted random order, for slots left after the shares.
	 * @return the queue names
	 */
	List<String> next() {
		return next(ThreadLocalRandom.current());
	}

	List<String> next(RandomGenerator random) {
		if (this.names.size() == 1) {
			return this.names;
		}
		Map<String, Double> keys = new LinkedHashMap<>();
		for (int i = 0; i < this.weights.length; i++) {
			keys.put(this.names.get(i), -Math.log(random.nextDouble(Double.MIN_VALUE, 1)) / this.weights[i]);
		}
		return keys.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
			.map(Map.Entry::getKey)
			.toList();
	}

}
