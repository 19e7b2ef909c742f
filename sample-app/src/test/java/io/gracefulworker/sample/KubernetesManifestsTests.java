package io.gracefulworker.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.gracefulworker.Worker;
import io.gracefulworker.test.redis.RedisExtension;
import io.gracefulworker.test.redis.RedisServer;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static io.gracefulworker.sample.KubernetesManifests.at;
import static io.gracefulworker.sample.KubernetesManifests.list;
import static io.gracefulworker.sample.KubernetesManifests.map;
import static io.gracefulworker.sample.KubernetesManifests.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample's Kubernetes manifests deploy whole and keep their timing budget: every object fits
 * the Kubernetes API's schema, every reference resolves, and each Deployment, started as its pod
 * would be (its ConfigMap mounted, its args and env), serves its probes and is given time for
 * its preStop and every shutdown phase that can run.
 */
@ExtendWith(RedisExtension.class)
class KubernetesManifestsTests {

	private static final Path K8S = Path.of("k8s");

	private static final Duration JVM_EXIT_MARGIN = Duration.ofSeconds(5);

	private static final KubernetesManifests manifests = KubernetesManifests.load(K8S);

	private static final Map<String, TerminationBudget> budgets = new LinkedHashMap<>();

	private static final Map<String, List<String>> probeFailures = new LinkedHashMap<>();

	@BeforeAll
	static void startEachDeploymentAsItsPodWould(RedisServer redis, @TempDir Path mounts) throws Exception {
		for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
			try (ConfigurableApplicationContext context = startAsPod(deployment, redis, mounts.resolve(name(deployment)))) {
				budgets.put(name(deployment), budget(deployment, context));
				probeFailures.put(name(deployment), probeFailures(container(deployment), context));
			}
		}
	}

	@Test
	void kustomizationListsEveryManifestOfTheDirectory() throws IOException {
		try (Stream<Path> files = Files.list(K8S)) {
			List<String> manifestFiles = files.map((file) -> file.getFileName().toString())
				.filter((file) -> file.endsWith(".yaml") && !file.equals("kustomization.yaml"))
				.toList();
			assertThat(manifests.resourceFiles()).containsExactlyInAnyOrderElementsOf(manifestFiles);
		}
		assertThat(manifests.ofKind("Deployment")).extracting(KubernetesManifests::name)
			.containsExactlyInAnyOrder("graceful-worker-sample-web", "graceful-worker-sample-worker");
	}

	@Test
	void everyObjectFitsTheKubernetesApiSchema() throws IOException {
		for (Map<String, Object> object : manifests.objects()) {
			validate(object);
		}
	}

	@Test
	void schemaCheckRefusesAFieldKubernetesDoesNotHave() {
		Map<String, Object> deployment = new LinkedHashMap<>(manifests.find("Deployment", "graceful-worker-sample-worker")
			.orElseThrow());
		Map<String, Object> spec = new LinkedHashMap<>(map(deployment.get("spec")));
		spec.put("terminationGracePeriod", 60);
		deployment.put("spec", spec);

		try {
			validate(deployment);
			fail("A misspelt field was accepted");
		}
		catch (IOException | IllegalArgumentException ex) {
			assertThat(ex.getMessage()).contains("terminationGracePeriod");
		}
	}

	@Test
	void kubectlRendersTheWholeSampleAndEveryRenderedObjectFitsTheSchema() throws Exception {
		boolean required = System.getenv("GW_REQUIRE_KUBECTL") != null;
		boolean present = Stream.of(System.getenv("PATH").split(":"))
			.anyMatch((dir) -> Files.isExecutable(Path.of(dir, "kubectl")));
		if (required) {
			assertThat(present).as("kubectl on the PATH (apt-get install kubernetes-client)").isTrue();
		}
		assumeTrue(present, "kubectl is not installed (apt-get install kubernetes-client); CI requires it");
		Process kubectl = new ProcessBuilder("kubectl", "kustomize", K8S.toString()).redirectErrorStream(true).start();
		String rendered = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(kubectl.exitValue()).as(rendered).isZero();

		List<Map<String, Object>> objects = KubernetesManifests.parse(rendered);
		assertThat(objects).hasSameSizeAs(manifests.objects());
		for (Map<String, Object> object : objects) {
			validate(object);
		}
		List<String> configMaps = objects.stream()
			.filter((object) -> "ConfigMap".equals(object.get("kind")))
			.map(KubernetesManifests::name)
			.toList();
		assertThat(configMaps).singleElement().asString().matches("graceful-worker-sample-[a-z0-9]{10}");
		objects.stream()
			.filter((object) -> "Deployment".equals(object.get("kind")))
			.forEach((deployment) -> assertThat(configMapVolumes(deployment)).containsExactly(configMaps.get(0)));
	}

	@Test
	void everyReferenceResolves() {
		Map<String, Object> config = config();
		for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
			String name = name(deployment);
			Map<String, Object> container = container(deployment);
			for (String configMap : configMapVolumes(deployment)) {
				assertThat(manifests.find("ConfigMap", configMap)).as(name + " mounts ConfigMap " + configMap).isPresent();
			}
			Object configured = at(config, "server", "port");
			assertThat(containerPort(container, "http")).as(name + ": containerPort http is server.port")
				.isEqualTo((configured != null) ? configured : 8080);
			assertThat(at(deployment, "spec", "selector", "matchLabels"))
				.isEqualTo(at(deployment, "spec", "template", "metadata", "labels"));
		}
		for (Map<String, Object> service : manifests.ofKind("Service")) {
			Map<String, Object> selector = map(at(service, "spec", "selector"));
			List<Map<String, Object>> pods = podTemplates().stream()
				.filter((pod) -> map(at(pod, "metadata", "labels")).entrySet().containsAll(selector.entrySet()))
				.toList();
			assertThat(pods).as("pods selected by Service " + name(service)).isNotEmpty();
			for (Map<String, Object> port : list(at(service, "spec", "ports"))) {
				for (Map<String, Object> pod : pods) {
					assertThat(containerPort(map(at(pod, "spec", "containers", 0)), port.get("targetPort")))
						.as("Service " + name(service) + " targetPort " + port.get("targetPort"))
						.isNotNull();
				}
			}
		}
		String redisHost = (String) at(config, "spring", "data", "redis", "host");
		assertThat(manifests.find("Service", redisHost)).as("the Service spring.data.redis.host names").isPresent();
	}

	@Test
	void theSamplesRedisKeepsItsDataOnAPersistentVolumeWithAof() {
		Map<String, Object> redis = manifests.find("StatefulSet", "redis").orElseThrow();
		assertThat(at(redis, "spec", "replicas")).isEqualTo(1);
		Map<String, Object> container = map(at(redis, "spec", "template", "spec", "containers", 0));
		String args = KubernetesManifests.values(container.get("args")).stream()
			.map(String::valueOf)
			.collect(java.util.stream.Collectors.joining(" "));
		assertThat(args).contains("--appendonly yes").contains("--dir /data").contains("--maxmemory-policy noeviction");
		String claim = (String) at(redis, "spec", "volumeClaimTemplates", 0, "metadata", "name");
		assertThat(list(container.get("volumeMounts")))
			.anySatisfy((mount) -> assertThat(mount).containsEntry("name", claim).containsEntry("mountPath", "/data"));
	}

	@Test
	void probesPointAtPathsThePodServes() {
		assertThat(probeFailures).hasSize(2).allSatisfy((deployment, failures) -> assertThat(failures).isEmpty());
	}

	@Test
	void terminationGraceCoversThePreStopAndEveryShutdownPhaseThatCanRun() {
		assertThat(budgets.get("graceful-worker-sample-worker").waitingPhases()).as("worker drain and web server")
			.hasSize(2);
		assertThat(budgets.get("graceful-worker-sample-web").waitingPhases()).as("web server only").hasSize(1);
		List<String> problems = new ArrayList<>();
		for (Map<String, Object> deployment : manifests.ofKind("Deployment")) {
			budgets.get(name(deployment)).problem(name(deployment), grace(deployment)).ifPresent(problems::add);
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void aGracePeriodShorterThanTheBudgetIsCaught() {
		TerminationBudget worker = budgets.get("graceful-worker-sample-worker");
		assertThat(worker.required()).isEqualTo(Duration.ofSeconds(5 + 20 + 20 + 5));

		assertThat(worker.problem("worker", Duration.ofSeconds(49))).hasValueSatisfying((problem) -> assertThat(problem)
			.contains("49s, shorter than 50s = preStop 5s + 2 shutdown phases")
			.contains("x 20s (spring.lifecycle.timeout-per-shutdown-phase)"));
		assertThat(worker.problem("worker", Duration.ofSeconds(50))).isEmpty();
	}

	private static ConfigurableApplicationContext startAsPod(Map<String, Object> deployment, RedisServer redis, Path mounts)
			throws IOException {
		KubernetesManifests.PodContainer pod = manifests.podContainer(deployment, mounts);
		List<String> args = new ArrayList<>(pod.args());
		Map<String, Object> env = new LinkedHashMap<>(pod.env());
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					"container-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
		// The cluster's Redis is the test's, and the port any free one.
		args.addAll(List.of("--server.port=0", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--spring.main.banner-mode=off"));
		return new SpringApplicationBuilder(SampleApplication.class).environment(environment)
			.run(args.toArray(String[]::new));
	}

	private static TerminationBudget budget(Map<String, Object> deployment, ConfigurableApplicationContext context) {
		SortedSet<Integer> phases = new TreeSet<>();
		// The phases whose stop waits for work: the worker's drain and the web server's graceful
		// shutdown. Others (Redis connections, the web server's stop) return at once.
		Stream.concat(context.getBeansOfType(Worker.class).values().stream(),
				context.getBeansOfType(WebServerGracefulShutdownLifecycle.class).values().stream())
			.filter(SmartLifecycle.class::isInstance)
			.forEach((bean) -> phases.add(((SmartLifecycle) bean).getPhase()));
		Duration timeout = Binder.get(context.getEnvironment())
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(Duration.ofSeconds(30));
		Object preStop = at(container(deployment), "lifecycle", "preStop", "sleep", "seconds");
		return new TerminationBudget(Duration.ofSeconds((preStop != null) ? ((Number) preStop).longValue() : 0), phases,
				timeout, JVM_EXIT_MARGIN);
	}

	private static List<String> probeFailures(Map<String, Object> container, ConfigurableApplicationContext context)
			throws Exception {
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		List<String> failures = new ArrayList<>();
		HttpClient http = HttpClient.newHttpClient();
		for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
			Map<String, Object> httpGet = map(at(container, probe, "httpGet"));
			if (!container.containsKey(probe)) {
				failures.add(probe + " missing");
				continue;
			}
			if (httpGet.isEmpty()) {
				failures.add(probe + " is not an HTTP probe");
				continue;
			}
			if (containerPort(container, httpGet.get("port")) == null) {
				failures.add(probe + " port " + httpGet.get("port") + " is not a container port");
			}
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + httpGet.get("path"))).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				failures.add(probe + " GET " + httpGet.get("path") + " answered " + response.statusCode());
			}
		}
		return failures;
	}

	private static void validate(Map<String, Object> object) throws IOException {
		JsonElement json = new Gson().toJsonTree(object);
		switch (String.valueOf(object.get("kind"))) {
			case "Deployment" -> V1Deployment.validateJsonElement(json);
			case "StatefulSet" -> V1StatefulSet.validateJsonElement(json);
			case "Service" -> V1Service.validateJsonElement(json);
			case "ConfigMap" -> V1ConfigMap.validateJsonElement(json);
			default -> fail("No schema check for kind " + object.get("kind") + " yet: add it here");
		}
	}

	private static Map<String, Object> container(Map<String, Object> deployment) {
		List<Map<String, Object>> containers = list(at(deployment, "spec", "template", "spec", "containers"));
		assertThat(containers).as(name(deployment) + " containers").hasSize(1);
		return containers.get(0);
	}

	private static Integer containerPort(Map<String, Object> container, Object nameOrNumber) {
		for (Map<String, Object> port : list(container.get("ports"))) {
			if (nameOrNumber.equals(port.get("name")) || nameOrNumber.equals(port.get("containerPort"))) {
				return (Integer) port.get("containerPort");
			}
		}
		return null;
	}

	private static List<String> configMapVolumes(Map<String, Object> deployment) {
		return list(at(deployment, "spec", "template", "spec", "volumes")).stream()
			.map((volume) -> (String) at(volume, "configMap", "name"))
			.filter((name) -> name != null)
			.toList();
	}

	private static List<Map<String, Object>> podTemplates() {
		return Stream.concat(manifests.ofKind("Deployment").stream(), manifests.ofKind("StatefulSet").stream())
			.map((workload) -> map(at(workload, "spec", "template")))
			.toList();
	}

	private static Duration grace(Map<String, Object> deployment) {
		Object seconds = at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
		return Duration.ofSeconds((seconds != null) ? ((Number) seconds).longValue() : 30);
	}

	private static Map<String, Object> config() {
		return KubernetesManifests.parse(manifests.configMapFiles("graceful-worker-sample").get("application.yml")).get(0);
	}

}
