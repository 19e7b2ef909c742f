package io.gracefulworker.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's own Chromium, headless, driven through its own chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}): nothing is downloaded. Where they are missing,
 * a test that needs them is skipped with the command that installs them, except under
 * {@code .ci/run}, which installs them and sets {@code GW_REQUIRE_BROWSER}, where it fails.
 */
final class HeadlessChromium implements AutoCloseable {

	private static final Path BROWSER = Path.of("/usr/bin/chromium");

	private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	private final Path profile;

	private final ChromeDriver driver;

	private HeadlessChromium() throws IOException {
		this.profile = Files.createTempDirectory("chromium-profile-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER.toFile());
		// Without the networking flags Chromium keeps calling hosts this machine cannot reach.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1280,1100", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	/**
	 * Starts the browser, or skips the test where the machine has none.
	 * @return the browser
	 */
	static HeadlessChromium start() {
		boolean present = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
		String missing = "Needs Debian's chromium and chromium-driver (" + BROWSER + ", " + DRIVER
				+ "): apt-get install chromium chromium-driver";
		if (!present && System.getenv("GW_REQUIRE_BROWSER") != null) {
			Assertions.fail(missing);
		}
		Assumptions.assumeTrue(present, missing);
		try {
			return new HeadlessChromium();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * Saves what the page shows now.
	 * @param file where to write the PNG
	 */
	void screenshot(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.copy(this.driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
		try (var files = Files.walk(this.profile)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary profile harms nothing
		}
	}

}
