package io.gracefulworker.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the filesystem of a Dockerfile's last stage without Docker, for the few instructions the
 * sample's Dockerfile uses: each stage is a directory, {@code COPY} copies from the build
 * context (honouring {@code .dockerignore}'s allow-list) or an earlier stage, {@code RUN} runs
 * in the stage's directory with this JVM's {@code java} first on the PATH. An instruction it
 * does not know fails the build, so the test never passes on a Dockerfile it did not follow.
 */
final class DockerfileImage {

	private static final Pattern INSTRUCTION = Pattern.compile("^([A-Z]+)\\s+(.*)$");

	private static final Pattern ENV = Pattern.compile("^(\\w+)=\"(.*)\"$");

	private final Map<String, Path> stages = new LinkedHashMap<>();

	private final Map<String, String> environment = new LinkedHashMap<>();

	private Path root;

	private String workdir = "/";

	private List<String> entrypoint = List.of();

	private final List<Integer> exposed = new ArrayList<>();

	private DockerfileImage() {
	}

	static DockerfileImage build(Path context, Path into) throws IOException, InterruptedException {
		DockerfileImage image = new DockerfileImage();
		List<String> allowed = allowList(context.resolve(".dockerignore"));
		int stage = 0;
		for (String line : Files.readAllLines(context.resolve("Dockerfile"))) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher matcher = INSTRUCTION.matcher(line.trim());
			if (!matcher.matches()) {
				throw new IllegalStateException("Cannot read Dockerfile line: " + line);
			}
			String argument = matcher.group(2).trim();
			switch (matcher.group(1)) {
				case "FROM" -> {
					String[] words = argument.split("\\s+");
					String name = (words.length == 3 && words[1].equalsIgnoreCase("AS")) ? words[2] : "stage-" + stage;
					image.root = Files.createDirectories(into.resolve(name));
					image.stages.put(name, image.root);
					image.workdir = "/";
					image.environment.clear();
					stage++;
				}
				case "WORKDIR" -> {
					image.workdir = argument;
					Files.createDirectories(image.path(argument));
				}
				case "COPY" -> image.copy(argument, context, allowed);
				case "RUN" -> image.run(argument);
				case "ENV" -> {
					Matcher env = ENV.matcher(argument);
					if (!env.matches()) {
						throw new IllegalStateException("Cannot read ENV " + argument);
					}
					image.environment.put(env.group(1), env.group(2));
				}
				case "ENTRYPOINT" -> image.entrypoint = List.of(JsonMapper.builder().build().readValue(argument, String[].class));
				case "EXPOSE" -> image.exposed.add(Integer.parseInt(argument));
				case "USER" -> {
					// Runs as this test's user here; the image's is checked by the caller.
				}
				default -> throw new IllegalStateException("DockerfileImage does not follow " + matcher.group(1));
			}
		}
		return image;
	}

	/**
	 * Returns the entrypoint as a command to run here: {@code java} is this JVM's.
	 */
	List<String> entrypoint() {
		List<String> command = new ArrayList<>(this.entrypoint);
		if (!command.isEmpty() && command.get(0).equals("java")) {
			command.set(0, javaHome().resolve("bin/java").toString());
		}
		return command;
	}

	Map<String, String> environment() {
		return this.environment;
	}

	Path workdir() {
		return path(this.workdir);
	}

	List<Integer> exposed() {
		return this.exposed;
	}

	private void copy(String argument, Path context, List<String> allowed) throws IOException {
		String[] words = argument.split("\\s+");
		Path from;
		String source;
		String target;
		if (words[0].startsWith("--from=")) {
			from = this.stages.get(words[0].substring("--from=".length()));
			source = words[1].replaceFirst("^/", "");
			target = words[2];
		}
		else {
			from = context;
			source = words[0];
			target = words[1];
			if (!allowed.contains(source)) {
				throw new IllegalStateException(source + " is left out of the build context by .dockerignore");
			}
		}
		Path sourcePath = from.resolve(source);
		Path targetPath = target.startsWith("/") ? path(target) : path(this.workdir).resolve(target);
		if (Files.isDirectory(sourcePath)) {
			try (Stream<Path> files = Files.walk(sourcePath)) {
				for (Path file : (Iterable<Path>) files::iterator) {
					Path copy = targetPath.resolve(sourcePath.relativize(file).toString());
					if (Files.isDirectory(file)) {
						Files.createDirectories(copy);
					}
					else {
						Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
					}
				}
			}
		}
		else {
			Files.createDirectories(targetPath.getParent());
			Files.copy(sourcePath, targetPath, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private void run(String command) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(path(this.workdir).toFile())
			.redirectErrorStream(true);
		builder.environment().put("PATH", javaHome().resolve("bin") + ":" + builder.environment().get("PATH"));
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("RUN " + command + " failed:\n" + output);
		}
	}

	private Path path(String absolute) {
		return this.root.resolve(absolute.replaceFirst("^/", ""));
	}

	private static Path javaHome() {
		return Path.of(System.getProperty("java.home"));
	}

	private static List<String> allowList(Path dockerignore) {
		try {
			List<String> lines = Files.readAllLines(dockerignore).stream().filter((line) -> !line.isBlank()).toList();
			if (lines.isEmpty() || !lines.get(0).equals("*")) {
				throw new IllegalStateException(".dockerignore should leave out everything but what the image needs");
			}
			return lines.stream().skip(1).filter((line) -> line.startsWith("!")).map((line) -> line.substring(1)).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
