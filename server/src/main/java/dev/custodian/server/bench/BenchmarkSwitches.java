package dev.custodian.server.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Switches that exist only so the benchmarks in {@code bench/} can measure what a safeguard costs on
 * the same server and data ({@code custodian.bench.*}). Never for a server with real records.
 *
 * <p>Each switch is refused unless the server listens on a loopback address only, and is logged
 * loudly.
 *
 * @param compare {@code audit} or {@code policy}: also serve a twin of the FHIR endpoint at
 *     {@value #TWIN_PATH} that lacks that one safeguard (the audit trail, or the access policy's
 *     scope checks, search narrowing and per-resource decisions), in the same JVM over the same
 *     database, so {@code bench/overhead.sh} measures what the safeguard costs with everything else
 *     equal — the same JIT state, caches and data. {@code /fhir} itself keeps every safeguard
 * @param plaintextBlobs store and serve DICOM blobs without encryption (same blob store, same keys,
 *     same HTTP path; only the cipher is skipped): the baseline of {@code bench/dicomweb.sh}. Writes
 *     plaintext DICOM to the blob directory, so use it only on a throw-away data directory
 */
@ConfigurationProperties(prefix = "custodian.bench")
public record BenchmarkSwitches(String compare, Boolean plaintextBlobs) {

  /** Where the twin endpoint of {@code compare} is served (under {@code /fhir}, so the same filters apply). */
  public static final String TWIN_PATH = "/fhir/_bench-off";

  /** The safeguards {@code compare} can leave out of the twin endpoint. */
  public enum Safeguard { AUDIT, POLICY }

  public BenchmarkSwitches {
    compare = compare == null || compare.isBlank() ? null : compare.trim().toLowerCase(java.util.Locale.ROOT);
    plaintextBlobs = plaintextBlobs != null && plaintextBlobs;
  }

  /**
   * The safeguard the twin endpoint leaves out, or empty when there is no twin; throws for an unknown
   * name and when the server is reachable from the network.
   */
  public java.util.Optional<Safeguard> comparedSafeguard(String bindAddress) {
    if (compare == null) {
      return java.util.Optional.empty();
    }
    Safeguard safeguard = switch (compare) {
      case "audit" -> Safeguard.AUDIT;
      case "policy" -> Safeguard.POLICY;
      default -> throw new IllegalStateException("custodian.bench.compare is audit or policy, not " + compare);
    };
    refuseUnlessLoopback("custodian.bench.compare", bindAddress);
    LoggerFactory.getLogger(BenchmarkSwitches.class).warn(
        "BENCHMARK TWIN ENDPOINT {} serves FHIR WITHOUT THE {} (custodian.bench.compare={}). For benchmarks only.",
        TWIN_PATH, safeguard == Safeguard.AUDIT ? "AUDIT TRAIL" : "ACCESS POLICY", compare);
    return java.util.Optional.of(safeguard);
  }

  /** Whether DICOM blobs are encrypted at rest; throws when they are not on a server reachable from the network. */
  public boolean blobsEncrypted(String bindAddress) {
    if (!plaintextBlobs) {
      return true;
    }
    refuseUnlessLoopback("custodian.bench.plaintext-blobs", bindAddress);
    LoggerFactory.getLogger(BenchmarkSwitches.class).warn(
        "IMAGES ARE STORED AND SERVED WITHOUT ENCRYPTION (custodian.bench.plaintext-blobs=true). For benchmarks only.");
    return false;
  }

  private static void refuseUnlessLoopback(String name, String bindAddress) {
    if (!isLoopback(bindAddress)) {
      throw new IllegalStateException(name + " is for benchmarks on a loopback address only, not on " + bindAddress);
    }
  }

  private static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false; // all interfaces
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
