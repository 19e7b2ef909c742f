package io.gracefulworker.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether the dashboard may act on a job: writes must be enabled (the same access
 * setting as the {@code jobs} endpoint) and the request must come from the dashboard's own page,
 * never from another site: it carries the token that only a same-origin read of the overview
 * can learn, and, where the browser sends them, its {@code Origin} and {@code Sec-Fetch-Site}
 * headers say the same origin.
 */
public final class DashboardWriteGuard {

	/** The request header that carries the token. */
	public static final String TOKEN_HEADER = "X-Graceful-Worker-Token";

	private final boolean writable;

	private final String token;

	/**
	 * Creates a guard with a new random token.
	 * @param writable whether writes are enabled
	 */
	public DashboardWriteGuard(boolean writable) {
		this.writable = writable;
		byte[] random = new byte[24];
		new SecureRandom().nextBytes(random);
		this.token = HexFormat.of().formatHex(random);
	}

	public boolean writable() {
		return this.writable;
	}

	/**
	 * Returns the token the page sends with each write, or {@code null} when writes are off.
	 * @return the token
	 */
	public @Nullable String token() {
		return this.writable ? this.token : null;
	}

	/**
	 * Returns why a write is refused, or {@code null} if it is allowed.
	 * @param request the request
	 * @return the reason, for the response
	 */
	public @Nullable String refusal(HttpServletRequest request) {
		if (!this.writable) {
			return "Writes are off: set management.endpoint.jobs.access=unrestricted to retry and delete dead jobs"
					+ " from the dashboard";
		}
		String site = request.getHeader("Sec-Fetch-Site");
		if (site != null && !site.equals("same-origin")) {
			return "Refused a request from another site (Sec-Fetch-Site: " + site + ")";
		}
		String origin = request.getHeader("Origin");
		if (origin != null && !sameOrigin(origin, request)) {
			return "Refused a request from another origin";
		}
		String sent = request.getHeader(TOKEN_HEADER);
		if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
				this.token.getBytes(StandardCharsets.UTF_8))) {
			return "Refused a request without the dashboard's token (" + TOKEN_HEADER + ")";
		}
		return null;
	}

	private static boolean sameOrigin(String origin, HttpServletRequest request) {
		try {
			URI uri = URI.create(origin);
			int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
			return request.getScheme().equalsIgnoreCase(uri.getScheme())
					&& request.getServerName().equalsIgnoreCase(uri.getHost()) && request.getServerPort() == port;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
