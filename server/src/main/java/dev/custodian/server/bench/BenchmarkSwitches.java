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
 * @param policyOff serve {@code /fhir} without the access policy (no scope checks, no per-resource
 *     decisions, no write guard)
 * @param plaintextBlobs store and serve DICOM blobs without encryption (same blob store, same keys,
 *     same HTTP path; only the cipher is skipped): the baseline of {@code bench/dicomweb.sh}. Writes
 *     plaintext DICOM to the blob directory, so use it only on a throw-away data directory
 */
@ConfigurationProperties(prefix = "custodian.bench")
public record BenchmarkSwitches(Boolean policyOff, Boolean plaintextBlobs) {

  public BenchmarkSwitches {
    policyOff = policyOff != null && policyOff;
    plaintextBlobs = plaintextBlobs != null && plaintextBlobs;
  }

  /** Whether access control is on; throws when it is off on a server reachable from the network. */
  public boolean policyEnforced(String bindAddress) {
    if (!policyOff) {
      return true;
    }
    refuseUnlessLoopback("custodian.bench.policy-off", bindAddress);
    LoggerFactory.getLogger(BenchmarkSwitches.class).warn(
        "ACCESS CONTROL IS OFF (custodian.bench.policy-off=true): every caller sees everything. For benchmarks only.");
    return false;
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
