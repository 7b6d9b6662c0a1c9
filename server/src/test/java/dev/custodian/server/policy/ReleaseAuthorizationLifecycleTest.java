package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.Fixtures;
import dev.custodian.server.support.ServerTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Period;
import org.junit.jupiter.api.Test;

/**
 * A release authorization's whole life on the real stack, through the API as its patient would
 * live it: alice grants one (an incomplete one is refused with 422 naming what is missing), dr.diaz
 * — who has no care relationship with her — sees exactly the named records and nothing else of hers,
 * and loses them on the very next request after the authorization expires or alice revokes it.
 */
class ReleaseAuthorizationLifecycleTest extends ServerTestBase {

  private FhirHttp alice() {
    return as("alice", "launch/patient patient/*.cruds");
  }

  private FhirHttp diaz() {
    return as("dr.diaz", "user/*.rs");
  }

  private static Consent authorization(int daysLeft, String... records) {
    Consent consent = Fixtures.releaseAuthorization(null, Consent.ConsentState.ACTIVE, "Patient/alice",
        "Practitioner/dr.diaz", "TREAT", daysLeft, records);
    return consent;
  }

  @Test
  void anIncompleteAuthorizationIsRefusedNamingWhatIsMissing() {
    assertRefused(c -> c.getProvision().getActor().clear(), "Consent.provision.actor");
    assertRefused(c -> c.getProvision().getData().clear(), "Consent.provision.data");
    assertRefused(c -> c.getProvision().getPurpose().clear(), "Consent.provision.purpose");
    assertRefused(c -> c.getProvision().getPeriod().setEnd(null), "Consent.provision.period.end");
    assertRefused(c -> c.getProvision().setPeriod(null), "Consent.provision.period");
  }

  private void assertRefused(Consumer<Consent> breakIt, String missing) {
    Consent consent = authorization(7, "ImagingStudy/alice-ct-chest");
    String marker = "incomplete-" + System.nanoTime();
    consent.addIdentifier().setSystem("urn:test").setValue(marker);
    breakIt.accept(consent);
    FhirHttp.Response response = alice().create(consent);
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.outcome().getIssue()).isNotEmpty();
    assertThat(response.body()).contains(missing).doesNotContain("Exception").doesNotContain("at ca.uhn");
    assertThat(alice().get("Consent?identifier=urn:test|" + marker).bundle().getEntry()).as("nothing stored").isEmpty();
  }

  @Test
  void grantUseAndRevocation() {
    assertLooksMissing(diaz(), "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");

    FhirHttp.Response granted = alice().create(authorization(7, "ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    Consent stored = granted.resource(Consent.class);
    try {
      // use: exactly the named records, nothing else of alice's
      assertThat(diaz().get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
      assertThat(diaz().get("DiagnosticReport/alice-ct-chest-report").status()).isEqualTo(200);
      assertLooksMissing(diaz(), "ImagingStudy/alice-ct-head", "ImagingStudy/no-such-study");
      assertLooksMissing(diaz(), "DiagnosticReport/alice-ct-head-report", "DiagnosticReport/no-such-report");
      assertLooksMissing(diaz(), "Patient/alice", "Patient/no-such-patient");
      assertLooksMissing(diaz(), "Coverage/alice-coverage", "Coverage/no-such-coverage");
      assertThat(ids(diaz().get("ImagingStudy?patient=alice").bundle())).containsExactly("alice-ct-chest");
      assertThat(ids(diaz().get("DiagnosticReport").bundle())).containsExactly("alice-ct-chest-report");
    } finally {
      // revocation: alice makes it inactive; the very next request is denied
      stored.setStatus(Consent.ConsentState.INACTIVE);
      FhirHttp.Response revoked = alice().update(stored);
      assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    }
    assertLooksMissing(diaz(), "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
    assertLooksMissing(diaz(), "DiagnosticReport/alice-ct-chest-report", "DiagnosticReport/no-such-report");
    assertThat(ids(diaz().get("ImagingStudy?patient=alice").bundle())).isEmpty();
  }

  @Test
  void expiryTakesEffectOnTheVeryNextRequest() throws InterruptedException {
    FhirHttp alice = alice();
    FhirHttp diaz = diaz(); // tokens first: signing in must not eat into the authorization's life
    Consent consent = authorization(7, "ImagingStudy/alice-ct-head");
    Instant end = Instant.now().plusSeconds(20);
    consent.getProvision().setPeriod(new Period().setStart(Date.from(Instant.now().minusSeconds(60))).setEnd(Date.from(end)));
    FhirHttp.Response granted = alice.create(consent);
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    assertThat(diaz.get("ImagingStudy/alice-ct-head").status()).isEqualTo(200);

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), end).toMillis()) + 200);
    assertLooksMissing(diaz, "ImagingStudy/alice-ct-head", "ImagingStudy/no-such-study");
    assertThat(ids(diaz.get("ImagingStudy?patient=alice").bundle())).doesNotContain("alice-ct-head");
  }
}
