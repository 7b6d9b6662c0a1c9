package dev.custodian.server.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Switches that exist only so the benchmarks in {@code bench/} can measure what a safeguard costs on
 * the same server and data ({@code custodian.bench.*}). Never for a server with real records.
 *
 * @param policyOff serve {@code /fhir} without the access policy (no scope checks, no per-resource
 *     decisions, no write guard). Refused unless the server listens on a loopback address only, and
 *     logged loudly.
 */
@ConfigurationProperties(prefix = "custodian.bench")
public record BenchmarkSwitches(Boolean policyOff) {

  public BenchmarkSwitches {
    policyOff = policyOff != null && policyOff;
  }

  /** Whether access control is on; throws when it is off on a server reachable from the network. */
  public boolean policyEnforced(String bindAddress) {
    if (!policyOff) {
      return true;
    }
    if (!isLoopback(bindAddress)) {
      throw new IllegalStateException(
          "custodian.bench.policy-off is for benchmarks on a loopback address only, not on " + bindAddress);
    }
    LoggerFactory.getLogger(BenchmarkSwitches.class).warn(
        "ACCESS CONTROL IS OFF (custodian.bench.policy-off=true): every caller sees everything. For benchmarks only.");
    return false;
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
