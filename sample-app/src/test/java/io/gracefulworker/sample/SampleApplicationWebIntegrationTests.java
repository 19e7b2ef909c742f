package io.gracefulworker.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.gracefulworker.test.redis.RespClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's HTTP surface and the {@code worker} actuator endpoint over HTTP.
 */
@ExtendWith({ RedisExtension.class, OutputCaptureExtension.class })
class SampleApplicationWebIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	private ConfigurableApplicationContext context;

	@BeforeEach
	void flush(RedisServer redis) {
		redis.flushAll();
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void workerEndpointShowsStateJobsQueuesAndTotalsButNeverArguments(RedisServer redis) throws Exception {
		start(redis);
		assertThat(post("/demo/batch?jobs=3&millis=3000", null).statusCode()).isEqualTo(202);
		assertThat(post("/reports", "{\"customer\":\"Jane Secret-Customer\",\"pages\":40}").statusCode())
			.isEqualTo(202);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.json.readTree(get("/actuator/worker").body()).get("activeJobs").size() == 4);
		HttpResponse<String> response = get("/actuator/worker");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode worker = this.json.readTree(response.body());
		assertThat(worker.get("state").asString()).isEqualTo("RUNNING");
		assertThat(worker.has("since")).isTrue();
		assertThat(worker.get("workerId").asString()).isNotEmpty();
		assertThat(worker.get("concurrency").asInt()).isEqualTo(8);
		JsonNode job = worker.get("activeJobs").get(0);
		assertThat(job.propertyNames()).contains("id", "name", "queue", "attempt", "startedAt", "runningFor");
		assertThat(worker.get("queues").propertyNames()).containsExactlyInAnyOrder("default", "reports", "demo");
		assertThat(worker.get("queues").get("demo").propertyNames()).contains("ready", "scheduled", "leased", "dead");
		assertThat(worker.get("queues").get("demo").get("leased").asLong()).isEqualTo(3);
		assertThat(worker.get("totals").propertyNames()).contains("completed", "failed", "retried", "dead",
				"requeued", "recovered", "cancelled");
		JsonNode fleet = worker.get("fleet");
		assertThat(fleet).hasSize(1);
		assertThat(fleet.get(0).get("workerId").asString()).isEqualTo(worker.get("workerId").asString());
		assertThat(fleet.get(0).get("state").asString()).isEqualTo("RUNNING");
		assertThat(fleet.get(0).get("concurrency").asInt()).isEqualTo(8);
		assertThat(fleet.get(0).propertyNames()).contains("host", "since", "runningJobs", "jobIds", "lastSeen");
		assertThat(response.body()).doesNotContain("Secret-Customer");
		assertThat(get("/actuator/health").body()).doesNotContain("Secret-Customer");
	}

	@Test
	void writeOperationsAreRefusedByDefault(RedisServer redis) throws Exception {
		start(redis);
		assertThat(post("/actuator/worker/pause", null).statusCode()).isIn(404, 405);
		assertThat(this.json.readTree(get("/actuator/worker").body()).get("state").asString()).isEqualTo("RUNNING");
	}

	@Test
	void writeOperationsPauseAndResumeWhenUnrestrictedAndAPauseTakesNoTrafficAway(RedisServer redis)
			throws Exception {
		start(redis, "management.endpoint.worker.access=unrestricted");
		assertThat(get("/actuator/health/worker").statusCode()).isEqualTo(200);
		HttpResponse<String> paused = post("/actuator/worker/pause", null);
		assertThat(paused.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(paused.body()).get("state").asString()).isEqualTo("PAUSED");
		HttpResponse<String> health = get("/actuator/health/worker");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
		assertThat(this.json.readTree(health.body()).get("details").get("state").asString()).isEqualTo("PAUSED");
		assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(post("/actuator/worker/resume", null).statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(get("/actuator/health/worker").body()).get("status").asString())
			.isEqualTo("UP");
		assertThat(post("/actuator/worker/explode", null).statusCode()).isEqualTo(400);
	}

	@Test
	void jobsEndpointFindsAJobByIdListsTheDeadSetAndRefusesWritesByDefault(RedisServer redis) throws Exception {
		start(redis);
		JsonNode failures = this.json.readTree(post("/demo/failures?jobs=3", null).body());
		String id = failures.get("ids").get(0).asString();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "DEAD".equals(this.json.readTree(get("/actuator/jobs/" + id).body()).path("state").asString()));
		JsonNode job = this.json.readTree(get("/actuator/jobs/" + id).body());
		assertThat(job.get("name").asString()).isEqualTo("demo.fail");
		assertThat(job.get("attempt").asInt()).isEqualTo(2);
		assertThat(job.get("lastError").get("message").asString()).isEqualTo("demo failure 0");
		assertThat(job.toString()).doesNotContain("args");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.json.readTree(get("/actuator/jobs?state=dead").body()).get("jobs").size() == 3);
		JsonNode page = this.json.readTree(get("/actuator/jobs?state=dead&name=demo.fail&page=1&size=2").body());
		assertThat(page.get("jobs")).hasSize(1);
		assertThat(page.get("hasMore").asBoolean()).isFalse();
		assertThat(get("/actuator/jobs/no-such-job").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/jobs?state=dead&size=101").body()).contains("between 1 and 100");
		assertThat(get("/actuator/jobs?state=dead&page=-1").statusCode()).isEqualTo(400);
		assertThat(get("/actuator/jobs").body()).contains("give state=dead");
		assertThat(post("/actuator/jobs/" + id, "{\"action\":\"retry\"}").statusCode()).isIn(404, 405);
		assertThat(send(HttpRequest.newBuilder(uri("/actuator/jobs/" + id)).DELETE()).statusCode()).isIn(404, 405);
		assertThat(this.json.readTree(get("/actuator/jobs/" + id).body()).get("state").asString()).isEqualTo("DEAD");
	}

	@Test
	void jobsEndpointRetriesCancelsAndDeletesWhenUnrestricted(RedisServer redis) throws Exception {
		start(redis, "management.endpoint.jobs.access=unrestricted");
		JsonNode failures = this.json.readTree(post("/demo/failures?jobs=2", null).body());
		String first = failures.get("ids").get(0).asString();
		String second = failures.get("ids").get(1).asString();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.json.readTree(get("/actuator/jobs?state=dead").body()).get("jobs").size() == 2);
		HttpResponse<String> retried = post("/actuator/jobs/" + first, "{\"action\":\"retry\"}");
		assertThat(retried.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(retried.body()).get("result").asString()).isEqualTo("RETRIED");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.json.readTree(get("/actuator/jobs/" + first).body()).path("retries").asInt() == 1
					&& "DEAD".equals(this.json.readTree(get("/actuator/jobs/" + first).body()).path("state").asString()));
		assertThat(post("/actuator/jobs/no-such-job", "{\"action\":\"retry\"}").statusCode()).isEqualTo(404);
		assertThat(post("/actuator/jobs/" + first, "{\"action\":\"explode\"}").statusCode()).isEqualTo(400);
		HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri("/actuator/jobs/" + second)).DELETE());
		assertThat(deleted.statusCode()).isEqualTo(200);
		assertThat(get("/actuator/jobs/" + second).statusCode()).isEqualTo(404);
		JsonNode all = this.json.readTree(post("/actuator/jobs", "{\"action\":\"retry\",\"state\":\"dead\"}").body());
		assertThat(all.get("count").asInt()).isEqualTo(1);
		String report = this.json.readTree(post("/reports", "{\"customer\":\"c\",\"pages\":1000}").body())
			.get("id")
			.asString();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "RUNNING".equals(this.json.readTree(get("/actuator/jobs/" + report).body()).path("state").asString()));
		HttpResponse<String> cancelled = post("/actuator/jobs/" + report, "{\"action\":\"cancel\"}");
		assertThat(cancelled.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(cancelled.body()).get("result").asString()).isEqualTo("CANCELLING");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "CANCELLED".equals(this.json.readTree(get("/actuator/jobs/" + report).body()).path("state").asString()));
		HttpResponse<String> deadOnly = post("/actuator/jobs/" + report, "{\"action\":\"retry\"}");
		assertThat(deadOnly.statusCode()).isEqualTo(400);
		assertThat(deadOnly.body()).contains("only a dead job can be retried");
	}

	@Test
	void badRequestsGet400WithAMessage(RedisServer redis) throws Exception {
		start(redis);
		assertThat(post("/reports", "{\"pages\":3}").body()).contains("customer must not be blank");
		assertThat(post("/reports", "{\"customer\":\"c\",\"pages\":0}").statusCode()).isEqualTo(400);
		assertThat(post("/reports", "{\"customer\":\"c\",\"pages\":1001}").statusCode()).isEqualTo(400);
		assertThat(post("/reports", "{not json").statusCode()).isEqualTo(400);
		assertThat(post("/demo/batch?jobs=0&millis=1", null).body()).contains("jobs must be between 1 and 100000");
		assertThat(post("/demo/batch?jobs=100001&millis=1", null).statusCode()).isEqualTo(400);
		assertThat(post("/demo/batch?jobs=1&millis=60001", null).body()).contains("millis must be between");
		assertThat(post("/demo/batch?jobs=x&millis=1", null).statusCode()).isEqualTo(400);
		assertThat(post("/demo/batch?jobs=1", null).statusCode()).isEqualTo(400);
	}

	@Test
	void ledgerCountsABatchAndResets(RedisServer redis) throws Exception {
		start(redis);
		assertThat(send(HttpRequest.newBuilder(uri("/demo/ledger")).DELETE()).statusCode()).isEqualTo(204);
		HttpResponse<String> batch = post("/demo/batch?jobs=25&millis=10", null);
		assertThat(this.json.readTree(batch.body()).get("jobs").asInt()).isEqualTo(25);
		assertThat(this.json.readTree(batch.body()).get("batch").asString()).isNotEmpty();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.json.readTree(get("/demo/ledger").body()).get("completed").asLong() == 25);
		JsonNode ledger = this.json.readTree(get("/demo/ledger").body());
		assertThat(ledger.get("enqueued").asLong()).isEqualTo(25);
		assertThat(ledger.get("executions").asLong()).isEqualTo(25);
		assertThat(ledger.get("duplicates").asLong()).isZero();
		assertThat(ledger.get("missing").asLong()).isZero();
		send(HttpRequest.newBuilder(uri("/demo/ledger")).DELETE());
		assertThat(this.json.readTree(get("/demo/ledger").body()).get("enqueued").asLong()).isZero();
	}

	@Test
	void aJobRedisRefusesForWantOfMemoryIsAnsweredWith503AndTheReason(RedisServer redis) throws Exception {
		start(redis);
		RespClient.command(redis.host(), redis.port(), "CONFIG", "SET", "maxmemory-policy", "noeviction");
		RespClient.command(redis.host(), redis.port(), "CONFIG", "SET", "maxmemory", "1");
		try {
			HttpResponse<String> refused = post("/demo/batch?jobs=5&millis=1", null);
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.body()).contains("Redis is out of memory");
		}
		finally {
			RespClient.command(redis.host(), redis.port(), "CONFIG", "SET", "maxmemory", "0");
		}
		assertThat(post("/demo/batch?jobs=1&millis=1", null).statusCode()).isEqualTo(202);
	}

	@Test
	void withoutANamedRedisTheSampleStartsItsOwnOnAFreePortAndSaysSo(CapturedOutput output) throws Exception {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedRedisStarter());
		this.context = application.run("--server.port=0", "--spring.main.banner-mode=off");
		int port = this.context.getEnvironment().getRequiredProperty("spring.data.redis.port", Integer.class);
		assertThat(port).isNotEqualTo(6379);
		assertThat(output).contains("No Redis is named").contains("started an embedded Redis on 127.0.0.1:" + port);
		assertThat(post("/demo/batch?jobs=2&millis=1", null).statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.json.readTree(get("/demo/ledger").body()).get("completed").asLong() == 2);
	}

	@Test
	void aNamedRedisIsUsedAndTheLogSaysWhich(RedisServer redis, CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedRedisStarter());
		this.context = application.run("--server.port=0", "--spring.main.banner-mode=off",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port());
		assertThat(output).contains("Using the Redis named by spring.data.redis.host at " + redis.host() + ":"
				+ redis.port()).doesNotContain("started an embedded Redis");
	}

	@Test
	void dashboardServesItsPageAndJsonAndRefusesWritesWhileTheJobsEndpointIsReadOnly(RedisServer redis)
			throws Exception {
		start(redis);
		HttpResponse<String> page = get("/graceful-worker/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				(policy) -> assertThat(policy).contains("frame-ancestors 'none'").contains("script-src 'self'"));
		assertThat(page.body()).contains("<script src=\"dashboard.js\"");
		assertThat(get("/graceful-worker/dashboard.js").statusCode()).isEqualTo(200);
		assertThat(get("/graceful-worker/dashboard.css").statusCode()).isEqualTo(200);
		String dead = deadJobFromTheDashboard();
		JsonNode overview = this.json.readTree(get("/graceful-worker/api/overview").body());
		assertThat(overview.get("writable").asBoolean()).isFalse();
		assertThat(overview.get("token").isNull()).isTrue();
		assertThat(overview.get("worker").get("fleet")).hasSize(1);
		HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/graceful-worker/api/jobs/" + dead + "/retry"))
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(this.json.readTree(refused.body()).get("error").asString())
			.contains("management.endpoint.jobs.access=unrestricted");
		assertThat(state(dead)).isEqualTo("DEAD");
		assertThat(get("/graceful-worker/api/jobs/no-such-job").statusCode()).isEqualTo(404);
	}

	@Test
	void dashboardWritesNeedItsTokenAndTheSameOrigin(RedisServer redis) throws Exception {
		start(redis, "management.endpoint.jobs.access=unrestricted");
		String dead = deadJobFromTheDashboard();
		JsonNode overview = this.json.readTree(get("/graceful-worker/api/overview").body());
		assertThat(overview.get("writable").asBoolean()).isTrue();
		String token = overview.get("token").asString();
		assertThat(token).hasSizeGreaterThan(30);
		String retry = "/graceful-worker/api/jobs/" + dead + "/retry";
		String self = "http://127.0.0.1:" + this.context.getEnvironment().getProperty("local.server.port");
		assertThat(dashboardPost(retry, null, self, "same-origin").statusCode()).as("no token").isEqualTo(403);
		assertThat(dashboardPost(retry, "not-" + token, self, "same-origin").statusCode()).as("wrong token")
			.isEqualTo(403);
		assertThat(dashboardPost(retry, token, "http://evil.example", null).statusCode()).as("other origin")
			.isEqualTo(403);
		assertThat(dashboardPost(retry, token, null, "cross-site").statusCode()).as("other site").isEqualTo(403);
		assertThat(state(dead)).isEqualTo("DEAD");
		HttpResponse<String> retried = dashboardPost(retry, token, self, "same-origin");
		assertThat(retried.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(retried.body()).get("result").asString()).isEqualTo("RETRIED");
		assertThat(state(dead)).isNotEqualTo("DEAD");
	}

	@Test
	void dashboardIsServedOnlyWhenEnabled(RedisServer redis) throws Exception {
		start(redis, "graceful-worker.dashboard.enabled=false");
		assertThat(get("/graceful-worker/").statusCode()).isEqualTo(404);
		assertThat(get("/graceful-worker/api/overview").statusCode()).isEqualTo(404);
	}

	private String deadJobFromTheDashboard() throws Exception {
		assertThat(post("/demo/failures?jobs=1", null).statusCode()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.json.readTree(get("/graceful-worker/api/overview").body())
			.get("deadJobs")
			.get("jobs")
			.size() == 1);
		return this.json.readTree(get("/graceful-worker/api/overview").body())
			.get("deadJobs")
			.get("jobs")
			.get(0)
			.get("id")
			.asString();
	}

	private String state(String id) throws Exception {
		return this.json.readTree(get("/graceful-worker/api/jobs/" + id).body()).get("state").asString();
	}

	private HttpResponse<String> dashboardPost(String path, String token, String origin, String site)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("X-Graceful-Worker-Token", token);
		}
		if (origin != null) {
			request.header("Origin", origin);
		}
		if (site != null) {
			request.header("Sec-Fetch-Site", site);
		}
		return send(request);
	}

	private void start(RedisServer redis, String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port()));
		for (String property : properties) {
			args.add("--" + property);
		}
		this.context = new SpringApplicationBuilder(SampleApplication.class).run(args.toArray(String[]::new));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		if (body != null) {
			request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
		}
		else {
			request.POST(HttpRequest.BodyPublishers.noBody());
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		String port = this.context.getEnvironment().getProperty("local.server.port");
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
