package io.gracefulworker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.gracefulworker.Job;
import io.gracefulworker.JobClient;
import io.gracefulworker.JobId;
import io.gracefulworker.JobOperations;
import io.gracefulworker.JobRequest;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Enqueues inside a transaction of a real database (embedded H2) wait for its commit: a commit
 * runs the job, which sees the committed row; a rollback never stores it; a Redis that cannot be
 * reached after the commit is retried, and logged and counted if it stays out of reach.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class AfterCommitEnqueueIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private RedisServer redis;

	private ConfigurableApplicationContext context;

	@BeforeEach
	void flush(RedisServer redis) {
		this.redis = redis;
		redis.flushAll();
		Orders.seen.clear();
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void aJobEnqueuedInATransactionIsStoredAtTheCommitAndSeesTheCommittedRow() {
		start();
		List<JobId> ids = new ArrayList<>();
		transactions().executeWithoutResult((status) -> {
			jdbc().update("insert into orders (id) values (?)", 1L);
			ids.add(client().enqueue("test.order-shipped", 1L));
			jdbc().update("insert into orders (id) values (?)", 11L);
			this.context.getBean(Orders.class).shipped(11L);
			assertThat(operations().status(ids.get(0))).as("not stored before the commit").isEmpty();
			assertThat(Orders.seen).as("the bean call did not run at once").isEmpty();
		});
		await().atMost(WAIT).until(() -> Orders.seen.containsKey(1L) && Orders.seen.containsKey(11L));
		assertThat(Orders.seen.get(1L)).as("the job saw the committed row").isTrue();
		assertThat(Orders.seen.get(11L)).as("the bean call's job saw the committed row").isTrue();
		assertThat(operations().status(ids.get(0))).isPresent();
	}

	@Test
	void aJobEnqueuedInATransactionThatRollsBackIsNeverStored() {
		start();
		List<JobId> ids = new ArrayList<>();
		transactions().executeWithoutResult((status) -> {
			jdbc().update("insert into orders (id) values (?)", 2L);
			ids.add(client().enqueue("test.order-shipped", 2L));
			ids.addAll(client().enqueueAll(List.of(JobRequest.of("test.order-shipped", 3L))));
			status.setRollbackOnly();
		});
		// The control: a job enqueued after the rolled-back ones runs, and they do not.
		client().enqueue(JobRequest.of("test.order-shipped", 4L));
		await().atMost(WAIT).until(() -> Orders.seen.containsKey(4L));
		assertThat(Orders.seen).doesNotContainKeys(2L, 3L);
		assertThat(operations().status(ids.get(0))).isEmpty();
		assertThat(operations().status(ids.get(1))).isEmpty();
	}

	@Test
	void aRequestCanBeStoredAtOnceInsideATransaction() {
		start();
		transactions().executeWithoutResult((status) -> {
			JobId id = client().enqueue(JobRequest.of("test.order-shipped", 5L).afterCommit(false));
			assertThat(operations().status(id)).as("stored before the commit").isPresent();
		});
	}

	@Test
	void aRedisOutOfReachAfterTheCommitIsRetriedUntilItAnswers(CapturedOutput output) {
		start("graceful-worker.enqueue.after-commit-retry=60s");
		transactions().executeWithoutResult((status) -> {
			jdbc().update("insert into orders (id) values (?)", 6L);
			client().enqueue("test.order-shipped", 6L);
			this.redis.stop();
		});
		assertThat(output).contains("could not be stored after their transaction committed");
		this.redis.start();
		await().atMost(WAIT).until(() -> Orders.seen.containsKey(6L));
		assertThat(output).contains("stored after their transaction committed, once the job store answered");
		assertThat(failures("retried")).isEqualTo(1);
		assertThat(failures("lost")).isZero();
	}

	@Test
	void aRedisOutOfReachForTheWholeRetryWindowIsLoggedAndCountedNotLostInSilence(CapturedOutput output) {
		start("graceful-worker.enqueue.after-commit-retry=1s");
		List<JobId> ids = new ArrayList<>();
		transactions().executeWithoutResult((status) -> {
			ids.add(client().enqueue("test.order-shipped", 7L));
			this.redis.stop();
		});
		try {
			await().atMost(WAIT).until(() -> output.toString().contains("were NOT stored"));
			assertThat(output).contains("Jobs " + ids.get(0) + " (test.order-shipped) were NOT stored")
				.contains("graceful-worker.enqueue.after-commit-retry");
			assertThat(failures("lost")).isEqualTo(1);
		}
		finally {
			this.redis.start();
		}
	}

	private double failures(String outcome) {
		return this.context.getBean(MeterRegistry.class)
			.find("graceful.worker.enqueue.after-commit.failures")
			.tags("job", "test.order-shipped", "outcome", outcome)
			.counters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
	}

	private void start(String... properties) {
		List<String> all = new ArrayList<>(this.redis.springProperties());
		all.add("spring.data.redis.timeout=500ms");
		all.add("spring.main.banner-mode=off");
		all.add("graceful-worker.worker.queues.default=1");
		all.addAll(List.of(properties));
		this.context = new SpringApplicationBuilder(OrdersApplication.class).web(WebApplicationType.NONE)
			.properties(all.toArray(String[]::new))
			.run();
		jdbc().execute("create table if not exists orders (id bigint primary key)");
		jdbc().execute("delete from orders");
	}

	private JdbcTemplate jdbc() {
		return this.context.getBean(JdbcTemplate.class);
	}

	private TransactionTemplate transactions() {
		return this.context.getBean(TransactionTemplate.class);
	}

	private JobClient client() {
		return this.context.getBean(JobClient.class);
	}

	private JobOperations operations() {
		return this.context.getBean(JobOperations.class);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OrdersApplication {

		@Bean
		Orders orders(JdbcTemplate jdbc) {
			return new Orders(jdbc);
		}

	}

	static class Orders {

		/** Order ids the job ran for, with whether it found the order's row. */
		static final Map<Long, Boolean> seen = new ConcurrentHashMap<>();

		private final JdbcTemplate jdbc;

		Orders(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Job(name = "test.order-shipped")
		public void shipped(long orderId) {
			Integer rows = this.jdbc.queryForObject("select count(*) from orders where id = ?", Integer.class, orderId);
			seen.put(orderId, rows != null && rows == 1);
		}

	}

}
