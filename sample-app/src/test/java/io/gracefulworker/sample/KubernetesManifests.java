package io.gracefulworker.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.Yaml;

/**
 * The sample's Kubernetes objects as {@code kubectl apply -k} would create them: every document
 * of the resources a {@code kustomization.yaml} lists, and the ConfigMaps its generator makes
 * from files (under their names before kustomize's hash suffix).
 */
final class KubernetesManifests {

	private final Path directory;

	private final Map<String, Object> kustomization;

	private final List<Map<String, Object>> objects = new ArrayList<>();

	private KubernetesManifests(Path directory) {
		this.directory = directory;
		this.kustomization = parse(read(directory.resolve("kustomization.yaml"))).get(0);
		for (String resource : resourceFiles()) {
			this.objects.addAll(parse(read(directory.resolve(resource))));
		}
		for (Map<String, Object> generator : list(this.kustomization.get("configMapGenerator"))) {
			Map<String, Object> data = new LinkedHashMap<>();
			configMapFiles((String) generator.get("name")).forEach(data::put);
			this.objects.add(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata",
					Map.of("name", generator.get("name")), "data", data));
		}
	}

	static KubernetesManifests load(Path directory) {
		return new KubernetesManifests(directory);
	}

	List<String> resourceFiles() {
		return values(this.kustomization.get("resources")).stream().map(String::valueOf).toList();
	}

	/**
	 * Returns the files a generated ConfigMap holds, as a pod that mounts it sees them.
	 */
	Map<String, String> configMapFiles(String name) {
		Map<String, String> files = new LinkedHashMap<>();
		for (Map<String, Object> generator : list(this.kustomization.get("configMapGenerator"))) {
			if (name.equals(generator.get("name"))) {
				for (Object file : values(generator.get("files"))) {
					files.put(Path.of((String) file).getFileName().toString(),
							read(this.directory.resolve((String) file)));
				}
			}
		}
		return files;
	}

	List<Map<String, Object>> objects() {
		return this.objects;
	}

	List<Map<String, Object>> ofKind(String kind) {
		return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
	}

	Optional<Map<String, Object>> find(String kind, String name) {
		return ofKind(kind).stream().filter((object) -> name.equals(name(object))).findFirst();
	}

	/**
	 * Returns how a Deployment's container runs: its args, with the ConfigMaps it mounts written
	 * under a directory and their mount paths in the args pointing there, and its env.
	 */
	PodContainer podContainer(Map<String, Object> deployment, Path mounts) throws IOException {
		Map<String, Object> container = map(at(deployment, "spec", "template", "spec", "containers", 0));
		List<String> args = new ArrayList<>();
		for (Object arg : values(container.get("args"))) {
			args.add(String.valueOf(arg));
		}
		for (Map<String, Object> mount : list(container.get("volumeMounts"))) {
			Map<String, Object> volume = list(at(deployment, "spec", "template", "spec", "volumes")).stream()
				.filter((candidate) -> mount.get("name").equals(candidate.get("name")))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(name(deployment) + " mounts a volume it does not declare"));
			Path directory = Files.createDirectories(mounts.resolve((String) mount.get("name")));
			for (Map.Entry<String, String> file : configMapFiles((String) at(volume, "configMap", "name")).entrySet()) {
				Files.writeString(directory.resolve(file.getKey()), file.getValue());
			}
			String mountPath = ((String) mount.get("mountPath")).replaceAll("/?$", "/");
			args.replaceAll((arg) -> arg.replace("file:" + mountPath, "file:" + directory.toAbsolutePath() + "/"));
		}
		Map<String, String> env = new LinkedHashMap<>();
		for (Map<String, Object> variable : list(container.get("env"))) {
			env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
		}
		return new PodContainer(args, env);
	}

	static String name(Map<String, Object> object) {
		return (String) map(object.get("metadata")).get("name");
	}

	static List<Map<String, Object>> parse(String yaml) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(yaml)) {
			if (document != null) {
				documents.add(map(document));
			}
		}
		return documents;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Map.of();
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> list(Object value) {
		return (value != null) ? (List<Map<String, Object>>) value : List.of();
	}

	static List<?> values(Object value) {
		return (value != null) ? (List<?>) value : List.of();
	}

	/**
	 * Follows a path of keys through nested maps; a number picks a list element.
	 */
	static Object at(Object root, Object... path) {
		Object current = root;
		for (Object key : path) {
			if (current == null) {
				return null;
			}
			current = (key instanceof Integer index) ? ((List<?>) current).get(index) : map(current).get(key);
		}
		return current;
	}

	/**
	 * A container's args and env as its pod passes them.
	 */
	record PodContainer(List<String> args, Map<String, String> env) {
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
