package io.gracefulworker.redis;

import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version a Redis server reports in {@code INFO server}, and whether the library's scripts
 * run on it.
 *
 * @param major the major version
 * @param minor the minor version
 * @param patch the patch version
 */
public record RedisServerVersion(int major, int minor, int patch) implements Comparable<RedisServerVersion> {

	/** The oldest Redis the scripts run on: a claim pops its jobs with one {@code LPOP}, whose count 6.2 added. */
	public static final RedisServerVersion OLDEST_SUPPORTED = new RedisServerVersion(6, 2, 0);

	private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

	/**
	 * Reads a version as Redis writes it, such as {@code 7.0.15}.
	 * @param version the text
	 * @return the version, or empty when the text is not one
	 */
	public static Optional<RedisServerVersion> parse(String version) {
		Matcher matcher = VERSION.matcher(version.trim());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		try {
			int patch = (matcher.group(3) != null) ? Integer.parseInt(matcher.group(3)) : 0;
			return Optional.of(new RedisServerVersion(Integer.parseInt(matcher.group(1)),
					Integer.parseInt(matcher.group(2)), patch));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Returns the oldest version in {@code INFO server}'s properties: a standalone server's
	 * {@code redis_version}, or the oldest of a Cluster's nodes, whose properties carry each
	 * node's address before the name.
	 * @param info the properties
	 * @return the oldest version, or empty when none is given
	 */
	public static Optional<RedisServerVersion> oldestIn(Properties info) {
		return info.stringPropertyNames()
			.stream()
			.filter((name) -> name.equals("redis_version") || name.endsWith(".redis_version"))
			.map((name) -> parse(info.getProperty(name)))
			.flatMap(Optional::stream)
			.min(RedisServerVersion::compareTo);
	}

	/**
	 * Says whether the library's scripts run on this version.
	 * @return whether it is {@link #OLDEST_SUPPORTED} or newer
	 */
	public boolean isSupported() {
		return compareTo(OLDEST_SUPPORTED) >= 0;
	}

	@Override
	public int compareTo(RedisServerVersion other) {
		int major = Integer.compare(this.major, other.major);
		if (major != 0) {
			return major;
		}
		int minor = Integer.compare(this.minor, other.minor);
		return (minor != 0) ? minor : Integer.compare(this.patch, other.patch);
	}

	@Override
	public String toString() {
		return this.major + "." + this.minor + "." + this.patch;
	}

}
