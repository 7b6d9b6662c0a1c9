package dev.custodian.server.dicomweb;

import dev.custodian.dicom.multipart.MultipartRelatedWriter;
import dev.custodian.server.support.ChildServer;
import dev.custodian.server.support.SmartLogin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DICOMweb benchmark ({@code bench/dicomweb.sh} runs it): starts a Custodian server (demo data,
 * its own data directory under {@code BENCH_WORK}) twice — images encrypted at rest as always, then
 * with the benchmark-only {@code custodian.bench.plaintext-blobs} baseline — and on each, as dr.chen,
 * STOWs one generated CT study of {@code BENCH_INSTANCES} instances of {@code BENCH_INSTANCE_KIB}
 * KiB of pixels (default 1024 × 1 MiB: over 1 GiB, generated batch by batch, never whole), then
 * retrieves it whole with WADO-RS. Prints STOW-RS instances/s, WADO-RS MiB/s (best of {@code
 * BENCH_RUNS}), the ratio encrypted/plaintext, and the server's heap growth while retrieving:
 * used heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) at points during the
 * retrieval minus the same before it. The servers run with {@code -Xmx} {@code BENCH_XMX}.
 */
public final class DicomwebBenchmark {

  private static final String ALICE_MRN = "MRN-100001"; // dr.chen treats alice: he may store and read
  private static final int BATCH = 32;
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final int instances = Integer.parseInt(env("BENCH_INSTANCES", "1024"));
  private final int instanceBytes = Integer.parseInt(env("BENCH_INSTANCE_KIB", "1024")) * 1024;
  private final int runs = Integer.parseInt(env("BENCH_RUNS", "3"));
  private final String xmx = env("BENCH_XMX", "768m");
  private final Path work = Path.of(env("BENCH_WORK", System.getProperty("java.io.tmpdir")));

  record Result(double stowInstancesPerSecond, double stowMiBPerSecond, double wadoMiBPerSecond, long studyBytes,
      long heapBeforeKiB, long heapPeakKiB) {
    long growthKiB() {
      return heapPeakKiB - heapBeforeKiB;
    }
  }

  public static void main(String[] args) throws Exception {
    new DicomwebBenchmark().run();
  }

  private void run() throws Exception {
    System.out.printf("DICOMweb benchmark: one study of %d CT instances × %d KiB of pixels, server -Xmx%s, WADO-RS best of %d%n",
        instances, instanceBytes / 1024, xmx, runs);
    Result encrypted = measure("encrypted", false);
    Result plaintext = measure("plaintext", true);
    System.out.println();
    System.out.printf("%-34s %14s %14s%n", "", "encrypted", "plaintext");
    System.out.printf("%-34s %14.1f %14.1f%n", "STOW-RS instances/s", encrypted.stowInstancesPerSecond(), plaintext.stowInstancesPerSecond());
    System.out.printf("%-34s %14.1f %14.1f%n", "STOW-RS MiB/s", encrypted.stowMiBPerSecond(), plaintext.stowMiBPerSecond());
    System.out.printf("%-34s %14.1f %14.1f%n", "WADO-RS study retrieval MiB/s", encrypted.wadoMiBPerSecond(), plaintext.wadoMiBPerSecond());
    System.out.printf("%-34s %14.1f %14.1f%n", "heap growth while retrieving, MiB", encrypted.growthKiB() / 1024.0, plaintext.growthKiB() / 1024.0);
    System.out.printf("study size retrieved: %.1f MiB (%d bytes)%n", encrypted.studyBytes() / 1048576.0, encrypted.studyBytes());
    System.out.printf("WADO-RS encrypted/plaintext: %.2f (target >= 0.8)%n", encrypted.wadoMiBPerSecond() / plaintext.wadoMiBPerSecond());
    System.out.printf("heap growth retrieving the encrypted study: %.1f MiB (target < 64 MiB; heap limit -Xmx%s)%n",
        encrypted.growthKiB() / 1024.0, xmx);
  }

  private Result measure(String label, boolean plaintext) throws Exception {
    Path dir = work.resolve(label);
    List<String> arguments = new ArrayList<>(List.of(
        "--custodian.demo.enabled=true",
        "--custodian.db.embedded.data-dir=" + dir.resolve("postgres"),
        "--custodian.auth.signing-keystore=" + dir.resolve("token-signing.p12"),
        "--custodian.audit.checkpoint-keystore=" + dir.resolve("audit.p12"),
        "--custodian.storage.blob-dir=" + dir.resolve("blobs"),
        "--custodian.storage.keystore=" + dir.resolve("blob-kek.p12"),
        "--custodian.bench.plaintext-blobs=" + plaintext));
    System.out.printf("%n[%s] starting the server…%n", label);
    try (ChildServer server = ChildServer.start(dir, List.of("-Xmx" + xmx, "-XX:+UseG1GC"), arguments)) {
      String study = SyntheticCt.newStudyUid();
      String token = token(server);
      long started = System.nanoTime();
      long sent = 0;
      for (int first = 1; first <= instances; first += BATCH) {
        sent += stow(server, token, study, first, Math.min(instances, first + BATCH - 1));
      }
      double stowSeconds = seconds(started);
      System.out.printf("[%s] STOW-RS: %d instances, %.1f MiB in %.1f s%n", label, instances, sent / 1048576.0, stowSeconds);

      token = token(server); // a fresh token for the retrievals
      long before = heapAfterGc(server);
      long[] peak = {before};
      long bytes = retrieve(server, token, study, total -> peak[0] = Math.max(peak[0], heapAfterGc(server)));
      System.out.printf("[%s] heap after GC before retrieval %d MiB, highest during it %d MiB%n", label, before / 1024, peak[0] / 1024);
      double best = 0;
      for (int run = 0; run < runs; run++) {
        long t = System.nanoTime();
        long got = retrieve(server, token, study, null);
        double mibs = got / 1048576.0 / seconds(t);
        System.out.printf("[%s] WADO-RS run %d: %.1f MiB in %.2f s = %.1f MiB/s%n", label, run + 1, got / 1048576.0, seconds(t), mibs);
        best = Math.max(best, mibs);
      }
      if (plaintext && !server.log().contains("WITHOUT ENCRYPTION")) {
        throw new IllegalStateException("the plaintext baseline did not announce itself in the server log");
      }
      return new Result(instances / stowSeconds, sent / 1048576.0 / stowSeconds, best, bytes, before, peak[0]);
    }
  }

  private String token(ChildServer server) {
    return new SmartLogin(server.baseUrl())
        .login("patient-app", "http://127.0.0.1:8765/callback", "openid fhirUser user/*.cruds", "dr.chen", "custodian-demo")
        .accessToken();
  }

  /** STOWs instances first..last of the study in one request; returns the body size. */
  private long stow(ChildServer server, String token, String study, int first, int last) throws Exception {
    String boundary = MultipartRelatedWriter.newBoundary();
    ByteArrayOutputStream body = new ByteArrayOutputStream((last - first + 1) * (instanceBytes + 4096));
    try (MultipartRelatedWriter writer = new MultipartRelatedWriter(body, boundary)) {
      for (int n = first; n <= last; n++) {
        writer.writePart(Map.of("Content-Type", "application/dicom"), SyntheticCt.instance(study, n, ALICE_MRN, instanceBytes));
      }
    }
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/dicomweb/studies"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", MultipartRelatedWriter.contentType("application/dicom", boundary))
        .header("Accept", "application/dicom+json")
        .timeout(Duration.ofMinutes(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("STOW-RS answered " + response.statusCode() + ": " + response.body());
    }
    return body.size();
  }

  /** Retrieves the whole study, counting its bytes; calls {@code sample} at 25, 50 and 75 % of them. */
  private long retrieve(ChildServer server, String token, String study, java.util.function.LongConsumer sample) throws Exception {
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/dicomweb/studies/" + study))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "multipart/related; type=\"application/dicom\"")
        .timeout(Duration.ofMinutes(10))
        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("WADO-RS answered " + response.statusCode());
    }
    long expected = (long) instances * instanceBytes;
    long total = 0;
    int nextSample = 1;
    byte[] buffer = new byte[256 * 1024];
    try (InputStream in = response.body()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (sample != null && nextSample <= 3 && total >= expected * nextSample / 4) {
          sample.accept(total);
          nextSample++;
        }
      }
    }
    if (total < expected) {
      throw new IllegalStateException("WADO-RS returned " + total + " bytes, fewer than the " + expected + " of pixels stored");
    }
    return total;
  }

  /** The server's used heap after a full GC, in KiB. */
  private static long heapAfterGc(ChildServer server) {
    try {
      jcmd(server.pid(), "GC.run");
      Matcher used = USED.matcher(jcmd(server.pid(), "GC.heap_info"));
      if (!used.find()) {
        throw new IllegalStateException("no used heap in jcmd GC.heap_info");
      }
      return Long.parseLong(used.group(1));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
