package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.audit.chain.AuditChain;
import dev.custodian.audit.chain.ChainVerifier;
import dev.custodian.audit.chain.VerificationResult;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import dev.custodian.server.support.Fixtures;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import dev.custodian.server.audit.store.AuditQuery;
import dev.custodian.server.ig.CustodianProfiles;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.custodian.server.audit.store.AuditEventStore;

/** Every FHIR access leaves a BALP AuditEvent in the hash chain, before the response is sent. */
class AuditTrailTest extends ServerTestBase {

  @Autowired IInstanceValidatorModule instanceValidator;

  @Autowired AuditEventStore auditEvents;

  @Test
  void aReadIsRecordedWithWhoWhatAndTheRequestId() {
    String requestId = "test-" + UUID.randomUUID();
    FhirHttp.Response read = asPatient("alice").send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/ImagingStudy/alice-ct-chest"))
            .header("X-Request-ID", requestId).GET());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("X-Request-ID")).isEqualTo(requestId);

    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    Bundle events = auditor.get("AuditEvent?entity=ImagingStudy/alice-ct-chest&agent=Patient/alice&subtype=read").bundle();
    List<AuditEvent> mine = events.getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> fhir(e).contains(requestId)).toList();
    assertThat(mine).hasSize(1);
    AuditEvent event = mine.get(0);
    assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
    assertThat(event.getAgent()).anyMatch(a -> "Patient/alice".equals(a.getWho().getReference()) && a.getRequestor());
    assertThat(event.getEntity()).anyMatch(e -> "Patient/alice".equals(e.getWhat().getReference()));
    assertThat(AuditChain.linkOf(event)).isPresent();
  }

  @Test
  void aConsentsGrantChangeAndRevocationAreEachRecordedAsSuch() {
    FhirHttp alice = as("alice", "launch/patient patient/*.cruds");
    FhirHttp.Response granted = alice.create(Fixtures.releaseAuthorization(null, Consent.ConsentState.ACTIVE,
        "Patient/alice", "Practitioner/dr.diaz", "TREAT", 7, "ImagingStudy/alice-ct-chest"));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
    Consent consent = granted.resource(Consent.class);
    consent.getProvision().getPeriod().setEnd(java.util.Date.from(java.time.Instant.now().plus(java.time.Duration.ofDays(3))));
    FhirHttp.Response changed = alice.update(consent);
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    consent = changed.resource(Consent.class);
    consent.setStatus(Consent.ConsentState.INACTIVE);
    FhirHttp.Response revoked = alice.update(consent);
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    // bruno may not revoke alice's consent: his attempt is recorded as a refused revocation
    FhirHttp.Response refused = as("bruno", "launch/patient patient/*.cruds").update(consent);
    assertThat(refused.status()).isGreaterThanOrEqualTo(400);

    String reference = "Consent/" + consent.getIdElement().getIdPart();
    List<String> changes = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?entity=" + reference + "&_count=50")
        .bundle().getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._0)
        .sorted(java.util.Comparator.comparing(AuditEvent::getRecorded))
        .map(e -> e.getSubtype().stream().filter(c -> "https://custodian.dev/fhir/CodeSystem/audit-event-type".equals(c.getSystem()))
            .map(Coding::getCode).findFirst().orElse("none"))
        .toList();
    assertThat(changes).containsExactly("consent-recorded", "consent-changed", "consent-revoked");
  }

  @Test
  void aRefusedReadIsRecordedAsAFailure() {
    String requestId = "denied-" + UUID.randomUUID();
    FhirHttp.Response read = as("dr.diaz", "user/*.rs").send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/ImagingStudy/alice-ct-chest"))
            .header("X-Request-ID", requestId).GET());
    assertThat(read.status()).isEqualTo(404);

    Bundle events = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?agent=Practitioner/dr.diaz&outcome=4").bundle();
    assertThat(events.getEntry()).extracting(e -> fhir((AuditEvent) e.getResource()))
        .anyMatch(json -> json.contains(requestId));
  }

  @Test
  void requestsWithoutAValidTokenAreRecordedToo() {
    String requestId = "anonymous-" + UUID.randomUUID();
    FhirHttp.Response refused = http.withBearer("not-a-token").send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/ImagingStudy/alice-ct-chest"))
            .header("X-Request-ID", requestId).GET());
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("X-Request-ID")).isEqualTo(requestId);
    Bundle events = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?outcome=4&subtype=read&_count=200&_sort=-date").bundle();
    assertThat(events.getEntry()).extracting(e -> fhir((AuditEvent) e.getResource()))
        .anyMatch(json -> json.contains(requestId) && json.contains("not authenticated"));
  }

  @Test
  void theAuditTrailIsAnUnbrokenChain() {
    asPatient("bruno").get("ImagingStudy?patient=bruno");
    List<AuditEvent> all = new ArrayList<>();
    auditEvents.forEachInSequence(all::add);
    assertThat(all).isNotEmpty();
    VerificationResult result = new ChainVerifier(keyId -> null).verify(all, List.of());
    assertThat(result.valid()).as(result.toString()).isTrue();
  }

  @Test
  void nobodyChangesOrDeletesAnAuditEvent() {
    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs user/AuditEvent.cruds");
    AuditEvent event = (AuditEvent) auditor.get("AuditEvent?_count=1").bundle().getEntryFirstRep().getResource();
    event.setOutcomeDesc("rewritten");
    assertThat(auditor.update(event).status()).isBetween(400, 499);
    assertThat(auditor.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/AuditEvent/" + event.getIdElement().getIdPart())).DELETE()).status())
        .isBetween(400, 499);
    assertThat(auditor.create(new AuditEvent()).status()).isBetween(400, 499);
  }

  @Test
  void theServersOwnEventsMeetTheAuditEventProfile() {
    asPatient("alice").get("ImagingStudy/alice-ct-chest");
    as("dr.diaz", "user/*.rs").get("ImagingStudy/alice-ct-chest");
    http.withBearer("not-a-token").get("ImagingStudy/alice-ct-chest");
    as("dr.chen", "user/*.rs").get("ImagingStudy?patient=alice,bruno");
    FhirValidator validator = fhirContext.newValidator();
    validator.registerValidatorModule(instanceValidator);
    List<AuditEvent> recent = auditEvents.search(AuditQuery.all(), null, 30);
    assertThat(recent).hasSizeGreaterThanOrEqualTo(4);
    for (AuditEvent event : recent) {
      // validated as clients receive it: its JSON
      ValidationResult result = validator.validateWithResult(
          fhir(event), new ValidationOptions().addProfile(CustodianProfiles.AUDIT_EVENT));
      assertThat(result.getMessages())
          .as(() -> result.getMessages().stream().map(m -> m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage()).toList()
              + " in " + fhir(event))
          .noneMatch(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal());
    }
    // and the profile is not vacuous: an event without its chain link or request id fails it
    AuditEvent stripped = recent.get(0).copy();
    stripped.getExtension().clear();
    stripped.getEntity().removeIf(e -> e.getType().getCode().equals("XrequestId"));
    ValidationResult result = validator.validateWithResult(
        stripped, new ValidationOptions().addProfile(CustodianProfiles.AUDIT_EVENT));
    assertThat(result.getMessages()).extracting(m -> m.getMessage())
        .anyMatch(m -> m.contains("cust-ae-1")).anyMatch(m -> m.contains("cust-ae-3"));
  }

  private String fhir(AuditEvent event) {
    return fhirContext.newJsonParser().encodeResourceToString(event);
  }
}
