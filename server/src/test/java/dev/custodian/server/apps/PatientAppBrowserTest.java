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
import org.junit.jupiter.api.Test;

/**
 * The patient app end to end, in a real headless Chromium against this running server (demo
 * records): {@code smart-apps/patient-app/e2e/standalone-launch.mjs} opens the launch page, signs
 * alice in (password, then her TOTP code), and checks that the app lists her two studies and two
 * reports and nothing of bruno's. Needs Node.js (a build prerequisite; the smart-apps build ran
 * {@code npm ci}, which installed playwright-core) and Debian's {@code chromium}; without Chromium
 * the test fails and says so, unless {@code -Dcustodian.browser=optional} (then it is skipped).
 */
class PatientAppBrowserTest extends ServerTestBase {

  static final String OPTIONAL_PROPERTY = "custodian.browser";
  private static final Path APP = Path.of("..", "smart-apps", "patient-app").toAbsolutePath().normalize();
  private static final Path SCRIPT = APP.resolve("e2e").resolve("standalone-launch.mjs");
  private static final long TIMEOUT_SECONDS = 180;

  @Test
  void aliceSignsInThroughTheStandaloneLaunchAndSeesHerStudiesAndReportsAndNoneOfBrunos() throws Exception {
    String chromium = System.getProperty("custodian.browser.chromium", "/usr/bin/chromium");
    requireInstalled(chromium);

    ProcessBuilder command = new ProcessBuilder("node", SCRIPT.toString(), baseUrl())
        .directory(APP.toFile())
        .redirectErrorStream(true);
    command.environment().put("CHROMIUM", chromium);
    command.environment().put("E2E_ARTIFACTS", Path.of("target", "e2e").toAbsolutePath().toString());
    Process script = command.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(script.getInputStream()));

    if (!script.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      script.descendants().forEach(ProcessHandle::destroyForcibly);
      script.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("the browser test did not finish within " + TIMEOUT_SECONDS + " s; its output:\n" + output.getNow("(none)"));
    }
    String log = output.get(10, TimeUnit.SECONDS);
    System.out.println(log); // (in the surefire report's output file)
    assertThat(script.exitValue()).as("exit code of %s; its output:%n%s", SCRIPT, log).isZero();
    assertThat(log).contains("PASS:");
  }

  private static void requireInstalled(String chromium) {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(Path.of(chromium))) {
      missing.add("Chromium at " + chromium + " (apt-get install chromium)");
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

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
