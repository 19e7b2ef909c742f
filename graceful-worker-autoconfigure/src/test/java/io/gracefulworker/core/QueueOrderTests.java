package io.gracefulworker.core;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link QueueOrder}.
 */
class QueueOrderTests {

	@Test
	void aSingleQueueIsAlwaysTheOrder() {
		assertThat(new QueueOrder(Map.of("only", 5)).next()).containsExactly("only");
	}

	@Test
	void everyQueueIsInEveryOrderOnce() {
		QueueOrder order = new QueueOrder(weights("a", 1, "b", 2, "c", 3));
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 100; i++) {
			assertThat(order.next(random)).containsExactlyInAnyOrder("a", "b", "c");
		}
	}

	@Test
	void slotsAreSharedExactlyByWeightOverAnyRunOfClaims() {
		QueueOrder order = new QueueOrder(weights("heavy", 3, "light", 1));
		assertThat(order.share(4)).containsOnly(Map.entry("heavy", 3), Map.entry("light", 1));
		Map<String, Integer> total = new HashMap<>();
		for (int i = 0; i < 1000; i++) {
			order.share(1 + i % 7).forEach((name, slots) -> total.merge(name, slots, Integer::sum));
		}
		int slots = total.values().stream().mapToInt(Integer::intValue).sum();
		assertThat(total.get("light") / (double) slots).isCloseTo(0.25, within(0.01));
	}

	@Test
	void aLightQueueGetsASlotInEveryRoundOfTheSumOfTheWeights() {
		QueueOrder order = new QueueOrder(weights("heavy", 5, "light", 1, "other", 2));
		StringBuilder picks = new StringBuilder();
		for (int i = 0; i < 400; i++) {
			picks.append(order.share(1).containsKey("light") ? 'L' : '.');
		}
		for (int start = 0; start + 8 <= picks.length(); start++) {
			assertThat(picks.substring(start, start + 8)).as("slots %d to %d", start, start + 8).containsOnlyOnce("L");
		}
	}

	@Test
	void aSingleQueueGetsEverySlot() {
		assertThat(new QueueOrder(Map.of("only", 2)).share(9)).containsExactly(Map.entry("only", 9));
	}

	@Test
	void aQueueComesFirstInProportionToItsWeight() {
		QueueOrder order = new QueueOrder(weights("heavy", 3, "light", 1));
		Map<String, Integer> first = count(order, 20_000);
		assertThat(first.get("heavy") / 20_000.0).isCloseTo(0.75, within(0.02));
	}

	@Test
	void noQueueStarvesHoweverLightItIs() {
		QueueOrder order = new QueueOrder(weights("heavy", 100, "light", 1));
		assertThat(count(order, 20_000).getOrDefault("light", 0)).isPositive();
	}

	private static Map<String, Integer> count(QueueOrder order, int draws) {
		SplittableRandom random = new SplittableRandom(42);
		Map<String, Integer> first = new HashMap<>();
		for (int i = 0; i < draws; i++) {
			List<String> next = order.next(random);
			first.merge(next.get(0), 1, Integer::sum);
		}
		return first;
	}

	private static Map<String, Integer> weights(Object... pairs) {
		Map<String, Integer> weights = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			weights.put((String) pairs[i], (Integer) pairs[i + 1]);
		}
		return weights;
	}

}
