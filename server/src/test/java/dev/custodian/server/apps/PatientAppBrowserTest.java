package dev.custodian.server.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.custodian.server.support.ServerTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SMART apps end to end, in a real headless Chromium against this running server (demo records):
 * the scripts in {@code smart-apps/patient-app/e2e/} drive the browser through Custodian's real
 * sign-in pages (password, then the TOTP code) and check what comes back. Needs Node.js (a build
 * prerequisite; the smart-apps build ran {@code npm ci}, which installed playwright-core) and
 * Debian's {@code chromium}; without Chromium the tests fail and say so, unless
 * {@code -Dcustodian.browser=optional} (then they are skipped).
 */
class PatientAppBrowserTest extends ServerTestBase {

  static final String OPTIONAL_PROPERTY = "custodian.browser";
  private static final Path APP = Path.of("..", "smart-apps", "patient-app").toAbsolutePath().normalize();
  private static final String CHROMIUM = System.getProperty("custodian.browser.chromium", "/usr/bin/chromium");
  private static final long TIMEOUT_SECONDS = 180;

  @BeforeEach
  void requireBrowser() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      missing.add("Chromium at " + CHROMIUM + " (apt-get install chromium)");
    }
    if (!Files.isDirectory(APP.resolve("node_modules").resolve("playwright-core"))) {
      missing.add("playwright-core in " + APP.resolve("node_modules") + " (npm ci there; the smart-apps build does it)");
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "missing " + String.join(", ", missing);
    if ("optional".equals(System.getProperty(OPTIONAL_PROPERTY))) {
      Assumptions.abort(message + "; skipped because -D" + OPTIONAL_PROPERTY + "=optional");
    }
    fail(message + ". Install it, or run with -D" + OPTIONAL_PROPERTY + "=optional to skip this test.");
  }

  /** The patient app's standalone launch: alice sees her two studies and two reports, none of bruno's. */
  @Test
  void aliceSignsInThroughTheStandaloneLaunchAndSeesHerStudiesAndReportsAndNoneOfBrunos() throws Exception {
    runPassing("standalone-launch.mjs");
  }

  /** An app on another origin gets its code back after the second factor (no CSP in the way). */
  @Test
  void anAppOnAnotherOriginGetsItsCodeBackAfterPasswordAndCode() throws Exception {
    runPassing("third-party-redirect.mjs");
  }

  /** Runs an e2e script against this server; it must exit 0 and say PASS. */
  private static void runPassing(String script) throws Exception {
    Path file = APP.resolve("e2e").resolve(script);
    ProcessBuilder command = new ProcessBuilder("node", file.toString(), baseUrl())
        .directory(APP.toFile())
        .redirectErrorStream(true);
    command.environment().put("CHROMIUM", CHROMIUM);
    command.environment().put("E2E_ARTIFACTS", Path.of("target", "e2e").toAbsolutePath().toString());
    Process process = command.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));

    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail(script + " did not finish within " + TIMEOUT_SECONDS + " s; its output:\n" + output.getNow("(none)"));
    }
    String log = output.get(10, TimeUnit.SECONDS);
    System.out.println(log); // (in the surefire report's output file)
    assertThat(process.exitValue()).as("exit code of %s; its output:%n%s", script, log).isZero();
    assertThat(log).contains("PASS:");
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
