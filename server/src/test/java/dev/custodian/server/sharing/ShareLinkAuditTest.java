package dev.custodian.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.server.support.FhirHttp;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;

/**
 * Every link event is in the audit trail and in the patient's access log; a link for a named third
 * party records its release authorization, and revoking either revokes the other.
 */
class ShareLinkAuditTest extends ShareLinkTestBase {

  private static final String EVENTS = "https://custodian.dev/fhir/CodeSystem/share-link-event";

  @Test
  void creationRedemptionRefusalsAndRevocationAreAuditedAndInTheAccessLog() {
    JsonNode created = link(alice(), chestCt().put("maxUses", 1).put("recipientLabel", "Dr. Osei"));
    String id = created.get("id").asText();
    String url = created.get("url").asText();
    String token = url.substring(url.lastIndexOf('/') + 1);
    assertThat(redeem(url, null, true).status()).isEqualTo(200);
    assertGone(redeem(url, null, true));
    assertThat(revoke(alice(), id).status()).isEqualTo(200);

    // the audit trail, as the auditor reads it
    List<AuditEvent> events = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?_count=200&_sort=-date").bundle()
        .getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> fhirContext.newJsonParser().encodeResourceToString(e).contains(id)).toList();
    assertThat(events.stream().map(ShareLinkAuditTest::subtype).collect(Collectors.toSet()))
        .contains("create", "redeem", "redeem-refused", "revoke");
    AuditEvent redeemed = events.stream().filter(e -> subtype(e).equals("redeem")).findFirst().orElseThrow();
    String json = fhirContext.newJsonParser().encodeResourceToString(redeemed);
    assertThat(json).contains("share-link-test/1.0", "Patient/alice", "custodian-share-link", "127.0.0.1");
    AuditEvent creation = events.stream().filter(e -> subtype(e).equals("create")).findFirst().orElseThrow();
    assertThat(fhirContext.newJsonParser().encodeResourceToString(creation))
        .contains("Patient/alice", "ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report", "PERMIT");
    // never the token
    events.forEach(e -> assertThat(fhirContext.newJsonParser().encodeResourceToString(e)).doesNotContain(token));

    // alice's access log: the redemption by "someone with your share link", the refusal; her own acts on request
    Bundle log = asPatient("alice").get("Patient/alice/$access-log?count=200").bundle();
    List<String> seen = log.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> EVENTS.equals(e.getSubtypeFirstRep().getSystem())).map(ShareLinkAuditTest::subtype).toList();
    assertThat(seen).contains("redeem", "redeem-refused");
    String logJson = fhirContext.newJsonParser().encodeResourceToString(log);
    assertThat(logJson).contains("someone with your share link").doesNotContain("127.0.0.1", token);
    Bundle own = asPatient("alice").get("Patient/alice/$access-log?count=200&includeOwn=true").bundle();
    assertThat(own.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> EVENTS.equals(e.getSubtypeFirstRep().getSystem())).map(ShareLinkAuditTest::subtype).toList())
        .contains("create", "revoke");
    // bruno's log shows none of it
    assertThat(fhirContext.newJsonParser().encodeResourceToString(
        asPatient("bruno").get("Patient/bruno/$access-log?count=200&includeOwn=true").bundle())).doesNotContain(id);
  }

  @Test
  void aLinkForANamedRecipientRecordsItsReleaseAuthorizationAndRevokingTheLinkRevokesIt() {
    JsonNode created = link(alice(), chestCt().put("recipient", "Practitioner/dr.diaz").put("purpose", "TREAT").put("maxUses", 2));
    String consentRef = created.get("consent").asText();
    assertThat(consentRef).startsWith("Consent/");
    Consent consent = consent(consentRef);
    assertThat(consent.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
    assertThat(consent.getPatient().getReference()).isEqualTo("Patient/alice");
    assertThat(consent.getProvision().getActorFirstRep().getReference().getReference()).isEqualTo("Practitioner/dr.diaz");
    assertThat(consent.getProvision().getData()).extracting(d -> d.getReference().getReference())
        .containsExactlyInAnyOrder("ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report");
    assertThat(consent.getProvision().getPurposeFirstRep().getCode()).isEqualTo("TREAT");
    assertThat(consent.getProvision().getPeriod().getEnd().toInstant().toString()).isEqualTo(created.get("expiresAt").asText());

    // the authorization is real: dr.diaz, who does not treat alice, now reads exactly that study
    FhirHttp diaz = as("dr.diaz", STAFF_SCOPES);
    assertThat(diaz.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertThat(diaz.get("ImagingStudy/alice-ct-head").status()).isEqualTo(404);

    String session = redeem(created.get("url").asText(), null, true).json().get("session").asText();
    assertThat(revoke(alice(), created.get("id").asText()).status()).isEqualTo(200);
    assertThat(consent(consentRef).getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
    assertThat(diaz.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(404);
    assertGone(get(session, "application/json"));
  }

  @Test
  void makingTheConsentInactiveRevokesTheLink() {
    JsonNode created = link(alice(), chestCt().put("recipient", "Practitioner/dr.diaz").put("purpose", "TREAT").put("maxUses", 3));
    String url = created.get("url").asText();
    String session = redeem(url, null, true).json().get("session").asText();
    Consent consent = consent(created.get("consent").asText());
    consent.setStatus(Consent.ConsentState.INACTIVE);
    FhirHttp.Response updated = as("alice", "launch/patient patient/*.cruds").update(consent);
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

    assertGone(redeem(url, null, true));
    assertGone(get(session, "application/json"));
    assertThat(ShareLinkTest.find(list(alice()).json(), created.get("id").asText()).get("state").asText()).isEqualTo("revoked");
  }

  private Consent consent(String reference) {
    return daos.getResourceDao(Consent.class).read(new IdType(reference), new SystemRequestDetails());
  }

  private static String subtype(AuditEvent event) {
    return event.getSubtypeFirstRep().getCode();
  }
}
