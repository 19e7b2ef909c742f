package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;

import io.gracefulworker.Job;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every argument a job is called with arrives exactly as it was passed: many values of each
 * type, generated from a fixed seed, with the edge values of each type among them.
 */
class JobCodecRoundTripTests {

	private static final int VALUES = 400;

	private final JobCodec codec = new JobCodec();

	private final JobRegistry registry = new JobRegistry(this.codec, "default", 3);

	private final SplittableRandom random = new SplittableRandom(20261122);

	@Test
	void bigDecimalsKeepTheirDigitsAndScale() {
		List<BigDecimal> values = new ArrayList<>(List.of(new BigDecimal("1234567890123456789.99"),
				new BigDecimal("19.90"), new BigDecimal("0.000"), new BigDecimal("-0.10"), new BigDecimal("1E+3"),
				new BigDecimal("1e-30"), new BigDecimal("99999999999999999999999999999999999999.999999999")));
		values.addAll(generate((r) -> new BigDecimal(bigInteger(r, 45), r.nextInt(-6, 25))));
		assertRoundTrip("decimal", values);
	}

	@Test
	void bigIntegersAndLongsBeyondTwoToThe53KeepEveryDigit() {
		List<BigInteger> integers = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.TWO.pow(200).negate()));
		integers.addAll(generate((r) -> bigInteger(r, 70)));
		assertRoundTrip("integer", integers);
		List<Long> longs = new ArrayList<>(List.of(Long.MAX_VALUE, Long.MIN_VALUE, (1L << 53) + 1, -(1L << 53) - 1,
				9_007_199_254_740_993L, 0L));
		longs.addAll(generate(SplittableRandom::nextLong));
		assertRoundTrip("number", longs);
	}

	@Test
	void doublesAndFloatsKeepEveryBitIncludingTheirEdgeValues() {
		List<Double> doubles = new ArrayList<>(List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
				-0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 0.1, 1e308, -1e-308));
		doubles.addAll(generate((r) -> {
			double value = Double.longBitsToDouble(r.nextLong());
			return Double.isNaN(value) ? r.nextDouble() : value;
		}));
		assertRoundTrip("ratio", doubles);
		List<Float> floats = new ArrayList<>(List.of(Float.NaN, Float.MAX_VALUE, Float.MIN_VALUE, -0.0f));
		floats.addAll(generate((r) -> {
			float value = Float.intBitsToFloat(r.nextInt());
			return Float.isNaN(value) ? (float) r.nextDouble() : value;
		}));
		assertRoundTrip("single", floats);
	}

	@Test
	void instantsKeepTheirNanosecondsAndDatesAndDurationsTheirValue() {
		List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
				Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2026-11-22T05:00:00.000000001Z")));
		instants.addAll(generate((r) -> Instant.ofEpochSecond(r.nextLong(-30_000_000_000L, 200_000_000_000L),
				r.nextInt(1_000_000_000))));
		assertRoundTrip("instant", instants);
		assertRoundTrip("date", generate((r) -> LocalDate.ofEpochDay(r.nextLong(-700_000, 2_900_000))));
		assertRoundTrip("duration",
				generate((r) -> Duration.ofSeconds(r.nextLong(-1L << 40, 1L << 40), r.nextInt(1_000_000_000))));
	}

	@Test
	void stringsKeepAnyUnicode() {
		List<String> values = new ArrayList<>(List.of("", "\u0000", "\"quoted\" \\ back", "\u2028\u2029",
				"😀 emoji", "\uD83D\uDE00\uD83D\uDE01", "ｆｕｌｌ", "\t\n\r\f\b", "null", "[1]"));
		values.addAll(generate((r) -> {
			StringBuilder text = new StringBuilder();
			int length = r.nextInt(0, 40);
			while (text.length() < length) {
				int codePoint = r.nextInt(0, Character.MAX_CODE_POINT + 1);
				if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
					text.appendCodePoint(codePoint);
				}
			}
			return text.toString();
		}));
		assertRoundTrip("text", values);
	}

	@Test
	void nestedRecordsWithCollectionsAndMapsKeepEveryValue() {
		assertRoundTrip("invoice", generate((r) -> {
			List<Line> lines = new ArrayList<>();
			for (int i = r.nextInt(0, 5); i > 0; i--) {
				lines.add(new Line(UUID.randomUUID(), new BigDecimal(bigInteger(r, 20), r.nextInt(0, 4)),
						r.nextLong(), Kind.values()[r.nextInt(Kind.values().length)]));
			}
			Map<String, Long> totals = new LinkedHashMap<>();
			for (int i = r.nextInt(0, 4); i > 0; i--) {
				totals.put("k" + r.nextInt(), r.nextLong());
			}
			return new Invoice("inv-" + r.nextInt(), lines, totals,
					Instant.ofEpochSecond(r.nextLong(0, 4_000_000_000L), r.nextInt(1_000_000_000)),
					r.nextBoolean() ? null : List.of(List.of(r.nextDouble()), List.of()));
		}));
	}

	private <T> List<T> generate(Function<SplittableRandom, T> value) {
		List<T> values = new ArrayList<>();
		for (int i = 0; i < VALUES; i++) {
			values.add(value.apply(this.random));
		}
		return values;
	}

	private static BigInteger bigInteger(SplittableRandom random, int maxDigits) {
		StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
		digits.append(random.nextInt(1, 10));
		for (int i = random.nextInt(0, maxDigits); i > 0; i--) {
			digits.append(random.nextInt(10));
		}
		return new BigInteger(digits.toString());
	}

	private void assertRoundTrip(String methodName, List<?> values) {
		Method method = ReflectionUtils.findMethod(Jobs.class, methodName, (Class<?>[]) null);
		JobDefinition definition = this.registry.register("jobs", method, method.getAnnotation(Job.class));
		for (Object value : values) {
			String stored = this.codec.writeArguments(java.util.Collections.singletonList(value));
			JobRecord record = new JobRecord("id", definition.name(), "default", stored, 1, 3, null, null, null, null, 0);
			Object[] read = this.codec.readArguments(record, definition, null);
			assertThat(read).as("%s stored as %s", value, stored).hasSize(1);
			assertThat(read[0]).as("%s stored as %s", value, stored).isEqualTo(value);
		}
	}

	enum Kind {

		GOODS, SERVICE

	}

	record Line(UUID product, BigDecimal price, long quantity, Kind kind) {
	}

	record Invoice(String id, List<Line> lines, Map<String, Long> totals, Instant at, List<List<Double>> matrix) {
	}

	static class Jobs {

		@Job
		public void decimal(BigDecimal value) {
		}

		@Job
		public void integer(BigInteger value) {
		}

		@Job
		public void number(long value) {
		}

		@Job
		public void ratio(double value) {
		}

		@Job
		public void single(float value) {
		}

		@Job
		public void instant(Instant value) {
		}

		@Job
		public void date(LocalDate value) {
		}

		@Job
		public void duration(Duration value) {
		}

		@Job
		public void text(String value) {
		}

		@Job
		public void invoice(Invoice value) {
		}

	}

}
