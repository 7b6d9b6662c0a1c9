package dev.custodian.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.TestClients;
import java.lang.management.ManagementFactory;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Memory stays flat both ways: a study of 240 MiB goes in with STOW-RS (four chunked requests of
 * 60 MiB, each generated while it is sent) and comes out whole in one WADO-RS response, and the used
 * heap after a full GC, sampled while the bytes flow, stays within 64 MiB of what it was before.
 * The server runs in this JVM, so its heap is the one measured; the client holds one instance (1 MiB)
 * and its buffers at a time. {@code bench/dicomweb.sh} does the same with a study over 1 GiB on a
 * server of its own.
 */
class DicomwebMemoryTest extends DicomwebTestBase {

  private static final long MIB = 1024 * 1024;
  private static final int INSTANCES = 240;
  private static final int PER_REQUEST = 60; // 60 MiB, under the test server's 64 MB STOW limit

  @Test
  void aStudyOfHundredsOfMegabytesStreamsInAndOutWithoutGrowingTheHeap() throws Exception {
    String patientId = "MEM-" + UUID.randomUUID().toString().substring(0, 8);
    corpusPatient("mem-" + patientId.toLowerCase(), patientId);
    String study = SyntheticCt.newStudyUid();
    String token = TestClients.accessToken(context, baseUrl(), "dr.chen", STAFF_SCOPES);
    DicomwebBenchmark client = new DicomwebBenchmark(INSTANCES, 1024, PER_REQUEST, 1, null, null);

    long beforeStow = usedHeapAfterGc();
    long[] peakStow = {beforeStow};
    long sent = 0;
    for (int first = 1; first <= INSTANCES; first += PER_REQUEST) {
      sent += client.stow(baseUrl(), token, study, patientId, first, first + PER_REQUEST - 1,
          n -> peakStow[0] = Math.max(peakStow[0], usedHeapAfterGc()));
    }
    assertThat(sent).isGreaterThan(INSTANCES * MIB);

    long beforeWado = usedHeapAfterGc();
    long[] peakWado = {beforeWado};
    long received = client.retrieve(baseUrl(), token, study, n -> peakWado[0] = Math.max(peakWado[0], usedHeapAfterGc()));
    assertThat(received).isGreaterThan(INSTANCES * MIB);

    System.out.printf("DicomwebMemoryTest: STOW-RS %d MiB, heap after GC %d -> at most %d MiB; WADO-RS %d MiB, %d -> at most %d MiB%n",
        sent / MIB, beforeStow / MIB, peakStow[0] / MIB, received / MIB, beforeWado / MIB, peakWado[0] / MIB);
    assertThat(peakStow[0] - beforeStow).as("heap growth while storing, bytes").isLessThan(64 * MIB);
    assertThat(peakWado[0] - beforeWado).as("heap growth while retrieving, bytes").isLessThan(64 * MIB);
  }

  private static long usedHeapAfterGc() {
    ManagementFactory.getMemoryMXBean().gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
