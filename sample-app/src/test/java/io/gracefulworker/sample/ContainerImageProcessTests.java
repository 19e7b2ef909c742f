package io.gracefulworker.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.gracefulworker.sample.demo.SampleInstance;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static io.gracefulworker.sample.KubernetesManifests.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's image as the worker Deployment runs it, without Docker: the Dockerfile's stages
 * built into directories (the packaged jar extracted into Spring Boot's layers), its entrypoint
 * and environment started with the pod's args, env and mounted ConfigMap, then SIGTERM as the
 * kubelet sends it after the preStop sleep.
 */
@ExtendWith(RedisExtension.class)
class ContainerImageProcessTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theImageRunsTheWorkerPodWhichDrainsOnSigtermWithinItsGracePeriod(RedisServer redis, @TempDir Path build)
			throws Exception {
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("COPY target/sample-app.jar app.jar")
			.containsPattern("(?m)^USER [1-9][0-9]*$");
		DockerfileImage image = DockerfileImage.build(Path.of("."), build.resolve("image"));
		KubernetesManifests manifests = KubernetesManifests.load(Path.of("k8s"));
		Map<String, Object> deployment = manifests.find("Deployment", "graceful-worker-sample-worker").orElseThrow();
		KubernetesManifests.PodContainer pod = manifests.podContainer(deployment, build.resolve("mounts"));
		assertThat(image.exposed()).containsExactly(8080);

		int port = SampleInstance.freePort();
		List<String> command = new ArrayList<>(image.entrypoint());
		command.addAll(pod.args());
		command.addAll(List.of("--server.port=" + port, "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port()));
		ProcessBuilder process = new ProcessBuilder(command).directory(image.workdir().toFile());
		process.environment().putAll(image.environment());
		process.environment().putAll(pod.env());
		try (SampleInstance app = SampleInstance.launch("image", process, port)) {
			assertThat(app.log()).contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
			assertThat(app.status("/actuator/health/readiness")).isEqualTo(200);
			assertThat(app.post("/demo/batch?jobs=4&millis=3000").statusCode()).isEqualTo(202);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.json.readTree(app.get("/actuator/worker").body()).get("activeJobs").size() == 4);

			app.sigterm();
			Number grace = (Number) at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
			Number preStop = (Number) at(deployment, "spec", "template", "spec", "containers", 0, "lifecycle", "preStop",
					"sleep", "seconds");
			Duration exit = app.awaitExit(Duration.ofSeconds(grace.longValue() - preStop.longValue()));
			assertThat(app.log()).as("drain summary after %s", exit)
				.containsPattern("stopped in \\d+ ms: 4 jobs finished during the drain, 0 requeued");
		}
	}

}
