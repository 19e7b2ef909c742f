package io.gracefulworker.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gracefulworker.sample.demo.SampleInstance;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser, over two sample processes: both workers show, one drains
 * after SIGTERM with a shrinking time left and then leaves, and dead jobs are retried, deleted
 * and looked up from the page.
 */
@ExtendWith(RedisExtension.class)
class DashboardBrowserProcessTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final JsonMapper json = JsonMapper.builder().build();

	private RedisServer server;

	@BeforeEach
	void flush(RedisServer server) {
		this.server = server;
		server.flushAll();
	}

	@Test
	void theDashboardShowsBothWorkersOneDrainingWithItsTimeLeftThenGoneAndActsOnDeadJobs() {
		try (HeadlessChromium chromium = HeadlessChromium.start();
				SampleInstance serving = start("serving");
				SampleInstance leaving = start("leaving")) {
			String servingId = workerId(serving);
			String leavingId = workerId(leaving);
			assertThat(serving.post("/demo/failures?jobs=2").statusCode()).isEqualTo(202);
			WebDriver page = chromium.driver();
			page.get(serving.uri("/graceful-worker/").toString());
			await().atMost(WAIT).until(() -> cards(page).size() == 2);
			assertThat(cards(page)).extractingByKey(servingId).isNotNull();
			assertThat(cards(page).get(leavingId).state()).isEqualTo("RUNNING");
			await().atMost(WAIT).until(() -> deadJobs(page).size() == 2);

			// Jobs that outlast a few refreshes of the page, running on both workers.
			assertThat(serving.post("/demo/batch?jobs=16&millis=8000").statusCode()).isEqualTo(202);
			await().atMost(WAIT).until(() -> running(serving) > 0 && running(leaving) > 0);
			leaving.sigterm();
			List<Double> timeLeft = new ArrayList<>();
			await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
				Card card = cards(page).get(leavingId);
				if (card != null && card.state().equals("DRAINING") && card.timeLeft() != null
						&& (timeLeft.isEmpty() || !timeLeft.get(timeLeft.size() - 1).equals(card.timeLeft()))) {
					timeLeft.add(card.timeLeft());
				}
				return timeLeft.size() >= 3;
			});
			assertThat(timeLeft.get(timeLeft.size() - 1)).isLessThan(timeLeft.get(0));
			assertThat(timeLeft.get(0)).isLessThanOrEqualTo(18.0);
			chromium.screenshot(Path.of("target", "dashboard.png"));
			await().atMost(WAIT).until(() -> !cards(page).containsKey(leavingId));
			assertThat(leaving.awaitExit(WAIT)).isLessThan(WAIT);
			assertThat(cards(page).values()).extracting(Card::state).containsExactly("RUNNING");
			// The drained jobs' completions show in the demo queue's throughput over the last minute.
			await().atMost(WAIT).until(() -> peakThroughput(page, "demo") > 0);

			List<String> dead = deadJobs(page);
			String retried = dead.get(0);
			String deleted = dead.get(1);
			click(page, "button[data-action=retry][data-id='" + retried + "']");
			await().atMost(WAIT).until(() -> message(page).equals("Retried " + retried));
			click(page, "button[data-action=delete][data-id='" + deleted + "']");
			await().atMost(WAIT).until(() -> message(page).equals("Deleted " + deleted));
			// The retried job fails again (demo.fail always does) and may be back in the dead set
			// after its second attempt, a second or so later: only the deleted one is gone for good.
			await().atMost(WAIT).until(() -> !deadJobs(page).contains(deleted));
			assertThat(serving.get("/actuator/jobs/" + deleted).statusCode()).isEqualTo(404);

			page.findElement(By.id("lookup-id")).sendKeys(retried);
			page.findElement(By.cssSelector("#lookup button")).click();
			await().atMost(WAIT).until(() -> !page.findElements(By.cssSelector("[data-testid=lookup-result] dl")).isEmpty());
			assertThat(page.findElement(By.cssSelector("[data-testid=lookup-result]")).getText()).contains(retried)
				.contains("demo.fail");
		}
	}

	/**
	 * Reads the fleet's cards in one script: the page redraws them each second, so elements
	 * found one call earlier may be gone.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Card> cards(WebDriver page) {
		List<Map<String, Object>> cards = (List<Map<String, Object>>) ((JavascriptExecutor) page).executeScript(
				"return Array.from(document.querySelectorAll('[data-testid=worker]')).map((card) => {"
						+ " const left = card.querySelector('[data-testid=drain-left]');"
						+ " return { worker: card.dataset.worker, state: card.dataset.state,"
						+ " left: left ? left.dataset.seconds : null }; });");
		Map<String, Card> byWorker = new LinkedHashMap<>();
		for (Map<String, Object> card : cards) {
			Object left = card.get("left");
			byWorker.put((String) card.get("worker"),
					new Card((String) card.get("state"), (left != null) ? Double.valueOf((String) left) : null));
		}
		return byWorker;
	}

	private static double peakThroughput(WebDriver page, String queue) {
		Object peak = ((JavascriptExecutor) page).executeScript("const cell = document.querySelector("
				+ "'#queues tr[data-queue=\"' + arguments[0] + '\"] [data-testid=throughput]');"
				+ " return cell ? cell.dataset.peak : '0';", queue);
		return Double.parseDouble((String) peak);
	}

	@SuppressWarnings("unchecked")
	private static List<String> deadJobs(WebDriver page) {
		return (List<String>) ((JavascriptExecutor) page).executeScript(
				"return Array.from(document.querySelectorAll('[data-testid=dead-job]')).map((row) => row.dataset.id);");
	}

	private static void click(WebDriver page, String selector) {
		await().atMost(WAIT).ignoreException(StaleElementReferenceException.class).until(() -> {
			page.findElement(By.cssSelector(selector)).click();
			return true;
		});
	}

	private static String message(WebDriver page) {
		return page.findElement(By.cssSelector("[data-testid=dead-message]")).getText();
	}

	private String workerId(SampleInstance instance) {
		return worker(instance).get("workerId").asString();
	}

	private int running(SampleInstance instance) {
		return worker(instance).get("activeJobs").size();
	}

	private JsonNode worker(SampleInstance instance) {
		return this.json.readTree(instance.get("/actuator/worker").body());
	}

	/**
	 * A worker's card on the page.
	 *
	 * @param state its state
	 * @param timeLeft the seconds its drain has left, while it drains
	 */
	private record Card(String state, Double timeLeft) {
	}

	private SampleInstance start(String name) {
		return SampleInstance.start(name, Path.of("target", "sample-app.jar"), this.server.host(), this.server.port(),
				"management.endpoint.jobs.access=unrestricted");
	}

}
