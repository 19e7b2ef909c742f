package io.gracefulworker.core;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.gracefulworker.Job;
import io.gracefulworker.JobContext;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JobCodec}.
 */
class JobCodecTests {

	private final JobCodec codec = new JobCodec();

	private final JobRegistry registry = new JobRegistry(this.codec, "default", 3);

	@Test
	void argumentsAreReadBackAsTheDeclaredTypesWithTheContextAtItsPlace() {
		JobDefinition definition = register("withContext");
		String stored = this.codec.writeArguments(List.of(new Order("o-1", 3), List.of("a", "b")));
		JobContext context = new DefaultJobContext(record(stored), null, new CurrentDrain(), null);
		Object[] arguments = this.codec.readArguments(record(stored), definition, context);
		assertThat(arguments).containsExactly(new Order("o-1", 3), context, List.of("a", "b"));
	}

	@Test
	void aWrongNumberOfArgumentsIsAPayloadProblemNamingTheMethod() {
		JobDefinition definition = register("plain");
		assertThatExceptionOfType(JobPayloadException.class)
			.isThrownBy(() -> this.codec.readArguments(record("[1, 2]"), definition, null))
			.withMessageContaining("Expected 1 arguments for")
			.withMessageContaining("Jobs.plain(int)");
	}

	@Test
	void nullForAPrimitiveAndArgumentsThatAreNoArrayArePayloadProblems() {
		JobDefinition definition = register("plain");
		assertThatExceptionOfType(JobPayloadException.class)
			.isThrownBy(() -> this.codec.readArguments(record("[null]"), definition, null))
			.withMessageStartingWith("Argument 0 cannot be read as int");
		assertThatExceptionOfType(JobPayloadException.class)
			.isThrownBy(() -> this.codec.readArguments(record("{\"a\":1}"), definition, null))
			.withMessage("Arguments are not a JSON array");
		assertThatExceptionOfType(JobPayloadException.class)
			.isThrownBy(() -> this.codec.readArguments(record("[\"x\"]"), definition, null))
			.withMessageContaining("Argument 0 cannot be read as int");
	}

	@Test
	void typesWithoutAConcreteTypeToReadBackAreUnsupported() {
		assertThat(this.codec.unsupportedReason(Object.class)).hasValueSatisfying(
				(reason) -> assertThat(reason).contains("type Object"));
		assertThat(this.codec.unsupportedReason(Runnable.class)).hasValueSatisfying(
				(reason) -> assertThat(reason).contains("abstract type java.lang.Runnable"));
		assertThat(this.codec.unsupportedReason(List.class)).isEmpty();
		assertThat(this.codec.unsupportedReason(Map.class)).isEmpty();
		assertThat(this.codec.unsupportedReason(Order.class)).isEmpty();
	}

	@Test
	void checkpointsRoundTripAndAnUnreadableOneIsAPayloadProblem() {
		String stored = this.codec.writeCheckpoint(new Order("o-2", 7));
		assertThat(this.codec.readCheckpoint(stored, Order.class)).isEqualTo(new Order("o-2", 7));
		assertThatExceptionOfType(JobPayloadException.class)
			.isThrownBy(() -> this.codec.readCheckpoint("\"text\"", Order.class))
			.withMessageContaining("Checkpoint cannot be read as");
	}

	private JobDefinition register(String name) {
		Method method = ReflectionUtils.findMethod(Jobs.class, name, (Class<?>[]) null);
		return this.registry.register("jobs", method, method.getAnnotation(Job.class));
	}

	private static JobRecord record(String arguments) {
		return new JobRecord("id-1", "job", "default", arguments, 1, 3, null, null, null, null, 0);
	}

	record Order(String id, int quantity) {
	}

	static class Jobs {

		@Job
		public void plain(int count) {
		}

		@Job
		public void withContext(Order order, JobContext context, List<String> tags) {
		}

	}

}
