package dev.custodian.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The benchmark-only switches are off by default and refused on a server reachable from the network. */
class BenchmarkSwitchesTest {

  @Test
  void blobsAreEncryptedUnlessThePlaintextBaselineIsAskedFor() {
    assertThat(new BenchmarkSwitches(null, null).blobsEncrypted("0.0.0.0")).isTrue();
    assertThat(new BenchmarkSwitches(null, false).blobsEncrypted("192.0.2.1")).isTrue();
    assertThat(new BenchmarkSwitches(null, true).blobsEncrypted("127.0.0.1")).isFalse();
    assertThat(new BenchmarkSwitches(null, true).blobsEncrypted("localhost")).isFalse();
  }

  @Test
  void thePlaintextBaselineIsRefusedOffLoopback() {
    for (String address : new String[] {"0.0.0.0", "", null, "192.0.2.1", "::"}) {
      assertThatThrownBy(() -> new BenchmarkSwitches(null, true).blobsEncrypted(address))
          .as("bind address %s", address)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("custodian.bench.plaintext-blobs");
    }
  }

  @Test
  void theTwinEndpointIsOnlyThereWhenAskedFor() {
    assertThat(new BenchmarkSwitches(null, null).comparedSafeguard("0.0.0.0")).isEmpty();
    assertThat(new BenchmarkSwitches(" ", null).comparedSafeguard("0.0.0.0")).isEmpty();
    assertThat(new BenchmarkSwitches("audit", null).comparedSafeguard("127.0.0.1"))
        .contains(BenchmarkSwitches.Safeguard.AUDIT);
    assertThat(new BenchmarkSwitches("Policy", null).comparedSafeguard("localhost"))
        .contains(BenchmarkSwitches.Safeguard.POLICY);
  }

  @Test
  void theTwinEndpointIsRefusedOffLoopbackAndForUnknownSafeguards() {
    for (String address : new String[] {"0.0.0.0", "", null, "192.0.2.1", "::"}) {
      assertThatThrownBy(() -> new BenchmarkSwitches("policy", null).comparedSafeguard(address))
          .as("bind address %s", address)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("custodian.bench.compare");
    }
    assertThatThrownBy(() -> new BenchmarkSwitches("encryption", null).comparedSafeguard("127.0.0.1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("audit or policy");
  }
}
