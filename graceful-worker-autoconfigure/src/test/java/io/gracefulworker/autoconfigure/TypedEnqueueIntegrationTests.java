package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobRequest;
import io.gracefulworker.autoconfigure.TestJobs.Execution;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Enqueues by method reference return the job's id and run the named method; the string API
 * refuses arguments that cannot be the method's parameter types, naming types, not values.
 */
@ExtendWith(RedisExtension.class)
class TypedEnqueueIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private ConfigurableApplicationContext context;

	@BeforeEach
	void start(RedisServer redis) {
		redis.flushAll();
		TestJobs.reset();
		this.context = TestApplication.start(redis);
	}

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void aMethodReferenceEnqueuesThatJobAndReturnsItsId() {
		JobId id = client().enqueue(TestJobs::sleep, "typed", 10L);
		JobId withContext = client().enqueue(TestJobs::where, "in-context", null);
		JobId delayed = client().enqueue(JobRequest.of(TestJobs::stubborn, "delayed").delay(Duration.ofMillis(50)));
		TestJobs.release.countDown();
		await().atMost(WAIT)
			.until(() -> TestJobs.executions.stream().map(Execution::label).toList().containsAll(
					List.of("typed", "in-context", "delayed")));
		JobOperations operations = this.context.getBean(JobOperations.class);
		assertThat(operations.status(id)).hasValueSatisfying((status) -> assertThat(status.name()).isEqualTo("test.sleep"));
		assertThat(operations.status(withContext))
			.hasValueSatisfying((status) -> assertThat(status.name()).isEqualTo("test.where"));
		assertThat(operations.status(delayed))
			.hasValueSatisfying((status) -> assertThat(status.name()).isEqualTo("test.stubborn"));
	}

	@Test
	void aLambdaOrAMethodThatIsNoJobIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> client().enqueue((TestJobs jobs) -> jobs.stubborn("x")))
			.withMessageContaining("not a lambda");
		assertThatIllegalArgumentException().isThrownBy(() -> client().enqueue(TestJobs::toString))
			.withMessageContaining("is not a @Job method");
	}

	@Test
	void theStringApiRefusesAnArgumentThatCannotBeTheParameterTypeAndStoresNothing() {
		assertThatIllegalArgumentException().isThrownBy(() -> client().enqueue("test.sleep", "label", "not a number"))
			.withMessage("Job 'test.sleep' cannot be enqueued: argument 1 is a String, but "
					+ "io.gracefulworker.autoconfigure.TestJobs.sleep(String, long) takes a long there")
			.withMessageNotContaining("not a number");
		assertThatIllegalArgumentException().isThrownBy(() -> client().enqueue("test.sleep", "label", 1.5))
			.withMessageContaining("argument 1 is a Double");
		assertThatIllegalArgumentException().isThrownBy(() -> client().enqueue("test.sleep", "label", null))
			.withMessageContaining("argument 1 is null");
		// An int for a long parameter converts without loss.
		client().enqueue("test.sleep", "widened", 5);
		await().atMost(WAIT).until(() -> TestJobs.executions.stream().anyMatch((e) -> e.label().equals("widened")));
		assertThat(TestJobs.executions).extracting(Execution::label).containsExactly("widened");
	}

	private JobClient client() {
		return this.context.getBean(JobClient.class);
	}

}
