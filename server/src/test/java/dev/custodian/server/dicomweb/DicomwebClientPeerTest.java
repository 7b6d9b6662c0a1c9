package dev.custodian.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.custodian.server.support.TestClients;
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
 * A real DICOMweb peer: the npm {@code dicomweb-client} (in Node.js, with the {@code xhr2} shim)
 * stores a study with STOW-RS, finds it with QIDO-RS and retrieves it with WADO-RS from this
 * running server, with dr.chen's bearer token; with bruno's token it finds nothing and gets 404.
 * The script is {@code src/test/node/dicomweb-peer/peer.mjs}; the build installs its packages with
 * {@code npm ci}. Only {@code -Dnpm.skip=true} skips this test; anything else missing fails it.
 */
class DicomwebClientPeerTest extends DicomwebTestBase {

  private static final Path PEER = Path.of("src", "test", "node", "dicomweb-peer").toAbsolutePath();
  private static final long TIMEOUT_SECONDS = 120;

  @BeforeEach
  void requireNodePackages() {
    if (Files.isDirectory(PEER.resolve("node_modules").resolve("dicomweb-client"))
        && Files.isDirectory(PEER.resolve("node_modules").resolve("xhr2"))) {
      return;
    }
    if ("true".equals(System.getProperty("npm.skip"))) {
      Assumptions.abort("dicomweb-client not installed; skipped because -Dnpm.skip=true");
    }
    fail("dicomweb-client and xhr2 are missing from " + PEER.resolve("node_modules")
        + ": the build runs npm ci there (Node.js 20 and npm); -Dnpm.skip=true skips this test");
  }

  @Test
  void dicomwebClientStoresFindsAndRetrievesAStudyAndAnotherCallerSeesNothing() throws Exception {
    String patientId = "PEER-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    corpusPatient("peer-" + patientId.toLowerCase(), patientId);
    String study = SyntheticCt.newStudyUid();
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "dicomweb-peer-");
    List<String> command = new ArrayList<>(List.of("node", PEER.resolve("peer.mjs").toString(), baseUrl(), study));
    for (int n = 1; n <= 3; n++) {
      Path file = dir.resolve(n + ".dcm");
      Files.write(file, SyntheticCt.instance(study, n, patientId, 96 * 1024));
      command.add(file.toString());
    }
    ProcessBuilder peer = new ProcessBuilder(command).directory(PEER.toFile()).redirectErrorStream(true);
    peer.environment().put("STAFF_TOKEN", TestClients.accessToken(context, baseUrl(), "dr.chen", STAFF_SCOPES));
    peer.environment().put("OTHER_TOKEN", TestClients.accessToken(context, baseUrl(), "bruno", "launch/patient patient/*.rs"));
    Process process = peer.start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail("peer.mjs did not finish within " + TIMEOUT_SECONDS + " s; its output:\n" + output.getNow("(none)"));
    }
    String log = output.get(10, TimeUnit.SECONDS);
    System.out.println(log);
    assertThat(process.exitValue()).as("exit code of peer.mjs; its output:%n%s", log).isZero();
    assertThat(log).contains("PASS:");
    // and what it stored is really here, as this server's own client sees it
    assertThat(drChen().wado("studies/" + study).parts()).hasSize(3);
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
