package dev.custodian.server.dicomweb;

import dev.custodian.dicom.multipart.MultipartRelatedWriter;
import dev.custodian.server.support.ChildServer;
import dev.custodian.server.support.ProcessCpuTime;
import dev.custodian.server.support.SmartLogin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DICOMweb benchmark ({@code bench/dicomweb.sh} runs its {@link #main}): starts two Custodian
 * servers (demo data, each with its own data directory under {@code BENCH_WORK}) — one with images
 * encrypted at rest as always, one with the benchmark-only {@code custodian.bench.plaintext-blobs}
 * baseline — and on each, as dr.chen, STOWs one generated CT study of {@code BENCH_INSTANCES}
 * instances of {@code BENCH_INSTANCE_KIB} KiB of pixels (default 1024 × 1 MiB: over 1 GiB; generated
 * while it is sent, never whole in memory), in requests of {@code BENCH_BATCH} instances, then
 * retrieves it whole with WADO-RS {@code BENCH_RUNS} times from each, interleaved (encrypted,
 * plaintext, plaintext, encrypted, …) so that whatever else the machine does falls on both alike.
 *
 * <p>Prints STOW-RS instances/s; WADO-RS MiB/s (best run) and the ratio encrypted/plaintext; the
 * server's CPU time per GiB retrieved (its JVM without the JIT compiler threads, {@link
 * ProcessCpuTime}, summed over the runs) and the ratio plaintext/encrypted — the throughput ratio a
 * CPU-bound server would show, and the figure that does not depend on how busy the machine is; and
 * the server's heap growth: used heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) at
 * 25, 50 and 75 % of the first STOW request and of a first (warm-up) retrieval, minus the same
 * before. The servers run with {@code -Xmx} {@code BENCH_XMX}.
 */
public final class DicomwebBenchmark {

  static final String ALICE_MRN = "MRN-100001"; // dr.chen treats alice: he may store and read
  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final double GIB = 1024.0 * 1024 * 1024;

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final int instances;
  private final int instanceBytes;
  private final int batch;
  private final int runs;
  private final String xmx;
  private final Path work;

  DicomwebBenchmark(int instances, int instanceKiB, int batch, int runs, String xmx, Path work) {
    this.instances = instances;
    this.instanceBytes = instanceKiB * 1024;
    this.batch = batch;
    this.runs = runs;
    this.xmx = xmx;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    DicomwebBenchmark bench = new DicomwebBenchmark(
        Integer.parseInt(env("BENCH_INSTANCES", "1024")), Integer.parseInt(env("BENCH_INSTANCE_KIB", "1024")),
        Integer.parseInt(env("BENCH_BATCH", "64")), Integer.parseInt(env("BENCH_RUNS", "3")),
        env("BENCH_XMX", "768m"), Path.of(env("BENCH_WORK", System.getProperty("java.io.tmpdir"))));
    bench.compare();
  }

  private void compare() throws Exception {
    System.out.printf("DICOMweb benchmark: one study of %d CT instances × %d KiB of pixels, STOW-RS %d instances per request,"
        + " servers -Xmx%s, WADO-RS %d runs each, interleaved%n", instances, instanceBytes / 1024, batch, xmx, runs);
    try (Side encrypted = prepare("encrypted", false); Side plaintext = prepare("plaintext", true)) {
      for (int run = 0; run < runs; run++) {
        Side first = run % 2 == 0 ? encrypted : plaintext;
        Side second = first == encrypted ? plaintext : encrypted;
        first.retrieveTimed(run);
        second.retrieveTimed(run);
      }
      encrypted.checkMode();
      plaintext.checkMode();
      System.out.println();
      System.out.printf("%-46s %12s %12s%n", "", "encrypted", "plaintext");
      row("STOW-RS instances/s", encrypted.stowInstancesPerSecond(), plaintext.stowInstancesPerSecond());
      row("STOW-RS MiB/s", encrypted.stowMiBPerSecond(), plaintext.stowMiBPerSecond());
      row("WADO-RS study retrieval MiB/s (best run)", encrypted.bestMiBPerSecond, plaintext.bestMiBPerSecond);
      row("WADO-RS server CPU s per GiB (all runs)", encrypted.cpuSecondsPerGiB(), plaintext.cpuSecondsPerGiB());
      row("heap growth during a STOW-RS request, MiB", encrypted.stowGrowthMiB(), plaintext.stowGrowthMiB());
      row("heap growth during the retrieval, MiB", encrypted.wadoGrowthMiB(), plaintext.wadoGrowthMiB());
      System.out.printf("study retrieved: %.1f MiB (%d bytes) in one WADO-RS response%n", encrypted.studyBytes / 1048576.0,
          encrypted.studyBytes);
      System.out.printf("WADO-RS encrypted/plaintext: %.2f (target >= 0.8); server CPU per GiB plaintext/encrypted: %.2f%n",
          encrypted.bestMiBPerSecond / plaintext.bestMiBPerSecond, plaintext.cpuSecondsPerGiB() / encrypted.cpuSecondsPerGiB());
      System.out.printf("heap growth retrieving the encrypted study: %.1f MiB (target < 64 MiB; server heap limit -Xmx%s)%n",
          encrypted.wadoGrowthMiB(), xmx);
      System.out.printf("STOW-RS ingest, encrypted: %.1f instances/s%n", encrypted.stowInstancesPerSecond());
    }
  }

  private static void row(String what, double encrypted, double plaintext) {
    System.out.printf("%-46s %12.2f %12.2f%n", what, encrypted, plaintext);
  }

  /** Starts a server (plaintext: the benchmark baseline), stores the study and retrieves it once while sampling the heap. */
  private Side prepare(String label, boolean plaintext) throws Exception {
    Path dir = work.resolve(label);
    List<String> arguments = new ArrayList<>(List.of(
        "--custodian.demo.enabled=true",
        "--custodian.db.embedded.data-dir=" + dir.resolve("postgres"),
        "--custodian.auth.signing-keystore=" + dir.resolve("token-signing.p12"),
        "--custodian.audit.checkpoint-keystore=" + dir.resolve("audit.p12"),
        "--custodian.storage.blob-dir=" + dir.resolve("blobs"),
        "--custodian.storage.keystore=" + dir.resolve("blob-kek.p12"),
        "--custodian.bench.plaintext-blobs=" + plaintext));
    System.out.printf("%n[%s] starting the server (-Xmx%s)…%n", label, xmx);
    ChildServer server = ChildServer.start(dir, List.of("-Xmx" + xmx, "-XX:+UseG1GC"), arguments, Duration.ofMinutes(15));
    Side side = new Side(label, plaintext, server);
    try {
      System.out.printf("[%s] server pid %d at %s%n", label, server.pid(), server.baseUrl());
      side.store();
      side.retrieveSamplingHeap();
      return side;
    } catch (Exception | Error e) {
      side.close();
      throw e;
    }
  }

  /** One server, encrypted or the plaintext baseline, with the study it holds and what was measured on it. */
  private final class Side implements AutoCloseable {
    final String label;
    final boolean plaintext;
    final ChildServer server;
    final String study = SyntheticCt.newStudyUid();
    double stowSeconds;
    long stowBytes;
    long studyBytes;
    long heapBeforeStowKiB;
    long heapPeakStowKiB;
    long heapBeforeWadoKiB;
    long heapPeakWadoKiB;
    double bestMiBPerSecond;
    long retrievedBytes;
    double cpuSeconds;

    Side(String label, boolean plaintext, ChildServer server) {
      this.label = label;
      this.plaintext = plaintext;
      this.server = server;
    }

    void store() throws Exception {
      String token = token(server);
      heapBeforeStowKiB = heapAfterGc(server);
      long[] peak = {heapBeforeStowKiB};
      long started = System.nanoTime();
      for (int first = 1; first <= instances; first += batch) {
        LongConsumer sample = first == 1 ? n -> peak[0] = Math.max(peak[0], heapAfterGc(server)) : null;
        stowBytes += stow(server.baseUrl(), token, study, ALICE_MRN, first, Math.min(instances, first + batch - 1), sample);
      }
      stowSeconds = seconds(started);
      heapPeakStowKiB = peak[0];
      System.out.printf("[%s] STOW-RS: %d instances, %.1f MiB in %.1f s; heap after GC %d MiB before, at most %d MiB during the first request%n",
          label, instances, stowBytes / 1048576.0, stowSeconds, heapBeforeStowKiB / 1024, heapPeakStowKiB / 1024);
    }

    /** The first retrieval: warms the path up and samples the heap (its full GCs make it no measure of speed). */
    void retrieveSamplingHeap() throws Exception {
      String token = token(server);
      heapBeforeWadoKiB = heapAfterGc(server);
      long[] peak = {heapBeforeWadoKiB};
      studyBytes = retrieve(server.baseUrl(), token, study, n -> peak[0] = Math.max(peak[0], heapAfterGc(server)));
      heapPeakWadoKiB = peak[0];
      System.out.printf("[%s] WADO-RS: heap after GC %d MiB before, at most %d MiB during the retrieval%n",
          label, heapBeforeWadoKiB / 1024, heapPeakWadoKiB / 1024);
    }

    void retrieveTimed(int run) throws Exception {
      String token = token(server);
      Map<String, Long> cpuBefore = ProcessCpuTime.snapshot(server.pid());
      long t = System.nanoTime();
      long got = retrieve(server.baseUrl(), token, study, null);
      double wall = seconds(t);
      double cpu = ProcessCpuTime.secondsSince(server.pid(), cpuBefore);
      double mibs = got / 1048576.0 / wall;
      System.out.printf("[%s] WADO-RS run %d: %.1f MiB in %.2f s = %.1f MiB/s; server CPU %.2f s (%.3f s/GiB)%n",
          label, run + 1, got / 1048576.0, wall, mibs, cpu, cpu / (got / GIB));
      bestMiBPerSecond = Math.max(bestMiBPerSecond, mibs);
      retrievedBytes += got;
      cpuSeconds += cpu;
    }

    void checkMode() throws IOException {
      if (plaintext != server.log().contains("WITHOUT ENCRYPTION")) {
        throw new IllegalStateException("the server log does not match the mode " + label);
      }
    }

    double stowInstancesPerSecond() {
      return instances / stowSeconds;
    }

    double stowMiBPerSecond() {
      return stowBytes / 1048576.0 / stowSeconds;
    }

    double cpuSecondsPerGiB() {
      return cpuSeconds / (retrievedBytes / GIB);
    }

    double stowGrowthMiB() {
      return (heapPeakStowKiB - heapBeforeStowKiB) / 1024.0;
    }

    double wadoGrowthMiB() {
      return (heapPeakWadoKiB - heapBeforeWadoKiB) / 1024.0;
    }

    @Override
    public void close() throws InterruptedException {
      server.close();
    }
  }

  private static String token(ChildServer server) {
    return new SmartLogin(server.baseUrl())
        .login("patient-app", "http://127.0.0.1:8765/callback", "openid fhirUser user/*.cruds", "dr.chen", "custodian-demo")
        .accessToken();
  }

  /**
   * STOWs instances first..last of the study (of patient {@code patientId}) to the server at {@code
   * base} in one chunked request whose body is generated while it is sent; calls {@code sample} (if
   * any) at 25, 50 and 75 % of it. Returns the body size.
   */
  long stow(String base, String token, String study, String patientId, int first, int last, LongConsumer sample)
      throws Exception {
    String boundary = MultipartRelatedWriter.newBoundary();
    PipedInputStream body = new PipedInputStream(1024 * 1024);
    PipedOutputStream pipe = new PipedOutputStream(body);
    long[] size = {0};
    CompletableFuture<Void> generated = CompletableFuture.runAsync(() -> {
      try (OutputStream out = pipe; MultipartRelatedWriter writer = new MultipartRelatedWriter(counting(out, size), boundary)) {
        int count = last - first + 1;
        int nextSample = 1;
        for (int n = first; n <= last; n++) {
          writer.writePart(Map.of("Content-Type", "application/dicom"), SyntheticCt.instance(study, n, patientId, instanceBytes));
          if (sample != null && nextSample <= 3 && (n - first + 1) * 4L >= (long) count * nextSample) {
            out.flush();
            sample.accept(size[0]);
            nextSample++;
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", MultipartRelatedWriter.contentType("application/dicom", boundary))
        .header("Accept", "application/dicom+json")
        .timeout(Duration.ofMinutes(15))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
    generated.join();
    if (response.statusCode() != 200) {
      throw new IllegalStateException("STOW-RS answered " + response.statusCode() + ": " + response.body());
    }
    return size[0];
  }

  private static OutputStream counting(OutputStream out, long[] size) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        size[0] += len;
      }
    };
  }

  /** Retrieves the whole study, counting its bytes; calls {@code sample} (if any) at 25, 50 and 75 % of them. */
  long retrieve(String base, String token, String study, LongConsumer sample) throws Exception {
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies/" + study))
        .header("Authorization", "Bearer " + token)
        .header("Accept", "multipart/related; type=\"application/dicom\"")
        .timeout(Duration.ofMinutes(15))
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
  static long heapAfterGc(ChildServer server) {
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
