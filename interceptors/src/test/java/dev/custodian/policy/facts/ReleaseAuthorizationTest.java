package dev.custodian.policy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.policy.caller.PurposeOfUse;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleaseAuthorizationTest {

  private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant END = Instant.parse("2027-05-01T00:00:00Z");

  private static ReleaseAuthorization of(AuthorizationStatus status) {
    return new ReleaseAuthorization("Consent/c1", "Patient/alice", "Person/ms.evans",
        Set.of("ImagingStudy/s1", "DiagnosticReport/r1"), Set.of(PurposeOfUse.PATRQT), START, END, status);
  }

  @Test
  void inForceOnlyWhileActiveAndWithinItsPeriod() {
    ReleaseAuthorization active = of(AuthorizationStatus.ACTIVE);

    assertThat(active.isInForceAt(START)).isTrue();
    assertThat(active.isInForceAt(END.minusSeconds(1))).isTrue();
    assertThat(active.isInForceAt(END)).isFalse();
    assertThat(active.isInForceAt(START.minusSeconds(1))).isFalse();
    assertThat(of(AuthorizationStatus.REVOKED).isInForceAt(START)).isFalse();
    assertThat(of(AuthorizationStatus.INACTIVE).isInForceAt(START)).isFalse();
  }

  @Test
  void explainsWhyNot() {
    assertThat(of(AuthorizationStatus.ACTIVE).whyNotInForceAt(START)).isNull();
    assertThat(of(AuthorizationStatus.ACTIVE).whyNotInForceAt(END)).contains("expired");
    assertThat(of(AuthorizationStatus.ACTIVE).whyNotInForceAt(START.minusSeconds(1))).contains("takes effect");
    assertThat(of(AuthorizationStatus.REVOKED).whyNotInForceAt(START)).contains("revoked");
    assertThat(of(AuthorizationStatus.INACTIVE).whyNotInForceAt(START)).contains("not active");
  }

  @Test
  void coversExactlyTheNamedRecords() {
    ReleaseAuthorization authorization = of(AuthorizationStatus.ACTIVE);

    assertThat(authorization.covers("ImagingStudy/s1")).isTrue();
    assertThat(authorization.covers("DiagnosticReport/r1")).isTrue();
    assertThat(authorization.covers("ImagingStudy/s2")).isFalse();
    assertThat(authorization.covers("Patient/alice")).isFalse();
    assertThat(authorization.covers(null)).isFalse();
  }

  @Test
  void anIncompleteAuthorizationCannotExist() {
    assertThatThrownBy(() -> new ReleaseAuthorization("Consent/c1", "Patient/alice", "Person/x", Set.of(),
            Set.of(PurposeOfUse.PATRQT), START, END, AuthorizationStatus.ACTIVE))
        .hasMessageContaining("name the records");
    assertThatThrownBy(() -> new ReleaseAuthorization("Consent/c1", "Patient/alice", "Person/x",
            Set.of("ImagingStudy/s1"), Set.of(), START, END, AuthorizationStatus.ACTIVE))
        .hasMessageContaining("purposes");
    assertThatThrownBy(() -> new ReleaseAuthorization("Consent/c1", "Patient/alice", "Person/x",
            Set.of("ImagingStudy/s1"), Set.of(PurposeOfUse.PATRQT), START, null, AuthorizationStatus.ACTIVE))
        .hasMessageContaining("expire");
    assertThatThrownBy(() -> new ReleaseAuthorization("Consent/c1", "Patient/alice", "Person/x",
            Set.of("ImagingStudy/s1"), Set.of(PurposeOfUse.PATRQT), END, START, AuthorizationStatus.ACTIVE))
        .hasMessageContaining("start before");
    assertThatThrownBy(() -> new ReleaseAuthorization("Consent/c1", "Organization/o", "Person/x",
            Set.of("ImagingStudy/s1"), Set.of(PurposeOfUse.PATRQT), START, END, AuthorizationStatus.ACTIVE))
        .hasMessageContaining("patient");
    assertThatThrownBy(() -> new ReleaseAuthorization("Consent/c1", "Patient/alice", "Person/x",
            Set.of("ImagingStudy/s1/_history/2"), Set.of(PurposeOfUse.PATRQT), START, END, AuthorizationStatus.ACTIVE))
        .hasMessageContaining("data");
  }
}
