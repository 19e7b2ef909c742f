package io.gracefulworker.test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobState;
import io.gracefulworker.test.redis.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootContextLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.MergedContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.awaitility.Awaitility.await;

@SpringBootTest
@AutoConfigureTestRedis
class TestRedisIntegrationTests {

	@Autowired
	private TestRedisServer redis;

	@Autowired
	private Shipments shipments;

	@Autowired
	private JobClient client;

	@Autowired
	private JobOperations operations;

	@AfterEach
	void forget() {
		this.shipments.forget();
	}

	@Test
	void jobsAreStoredInTheTestsOwnRedisAndRunByTheWorker() {
		assertThat(this.redis.port()).isNotEqualTo(6379);
		JobId id = this.client.enqueue(Shipments::ship, "order-1", 2);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.shipments.ran(), (ran) -> ran.containsAll(List.of("ship order-1 x2", "notify order-1 attempt 1")));
		assertThat(this.shipments.threads()).doesNotContain(Thread.currentThread());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.operations.status(id))
				.hasValueSatisfying((status) -> assertThat(status.state()).isEqualTo(JobState.SUCCEEDED)));
	}

	@Test
	void flushAllEmptiesTheServer() throws IOException {
		RespClient.command(this.redis.host(), this.redis.port(), "SET", "probe", "1");
		this.redis.flushAll();

		assertThat(RespClient.command(this.redis.host(), this.redis.port(), "EXISTS", "probe")).isEqualTo("0");
	}

	@Test
	void eachContextGetsItsOwnServerStoppedWhenTheContextCloses() throws IOException {
		MergedContextConfiguration config = new MergedContextConfiguration(getClass(), new String[0], new Class<?>[0],
				new String[0], new SpringBootContextLoader());
		TestRedisServer server;
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			new TestRedisContextCustomizerFactory().createContextCustomizer(getClass(), List.of())
				.customizeContext(context, config);
			context.refresh();
			server = context.getBean(TestRedisServer.class);
			assertThat(server.port()).isNotEqualTo(this.redis.port());
			assertThat(context.getEnvironment().getProperty("spring.data.redis.port", Integer.class))
				.isEqualTo(server.port());
			assertThat(RespClient.command(server.host(), server.port(), "PING")).isEqualTo("PONG");
		}
		assertThatIOException().isThrownBy(() -> RespClient.command(server.host(), server.port(), "PING"));
	}

}
