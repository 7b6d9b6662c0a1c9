package dev.custodian.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.PolicySettings;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.facts.InMemoryPolicyFacts;
import dev.custodian.policy.minimum.MinimumNecessary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * {@link PolicyConsentService#willSeeResource} called directly, answer by answer: a permitted
 * DomainResource is AUTHORIZED (HAPI need not look inside it) and released as stored; a projected one
 * is AUTHORIZED with its projection, the stored object untouched; a denied one is REJECTed, or hidden
 * as missing on a read; its contained resources share its decision; result Bundles are filtered and
 * never AUTHORIZED, so HAPI still walks their entries; any other Bundle is refused whole.
 */
class PolicyConsentServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final AccessPolicy policy = new AccessPolicy(
      new InMemoryPolicyFacts()
          .careTeamMember("Practitioner/dr.chen", "Patient/alice", Instant.parse("2026-01-01T00:00:00Z"), null)
          .payor("Organization/health-plan", "Patient/alice", Instant.parse("2026-01-01T00:00:00Z"), null),
      MinimumNecessary.loadDefault(), PolicySettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  private static final Caller CHEN = Caller.builder().fhirUser("Practitioner/dr.chen").clientId("ehr")
      .roles(Role.CLINICIAN).scopes("user/*.cruds").purpose(PurposeOfUse.TREAT).tokenId("t-chen").build();
  private static final Caller PLAN = Caller.builder().fhirUser("Person/hp.analyst").clientId("payer-portal")
      .roles(Role.HEALTH_PLAN).organization("Organization/health-plan").scopes("user/*.rs")
      .purpose(PurposeOfUse.HPAYMT).tokenId("t-plan").build();

  @Test
  void aPermittedDomainResourceIsAuthorizedAsStored() {
    ImagingStudy study = study("alice-ct", "alice");
    ConsentOutcome outcome = service(CHEN).willSeeResource(request(RestOperationTypeEnum.READ), study, null);
    assertThat(outcome.getStatus()).isEqualTo(ConsentOperationStatusEnum.AUTHORIZED);
    assertThat(outcome.getResource()).as("released as stored, nothing put in its place").isNull();
  }

  @Test
  void aProjectedDomainResourceIsAuthorizedWithItsProjectionAndTheStoredOneIsUntouched() {
    DiagnosticReport report = report("alice-report", "alice");
    String before = FHIR.newJsonParser().encodeResourceToString(report);
    SystemRequestDetails request = request(RestOperationTypeEnum.READ, "DiagnosticReport");
    PolicyConsentService service = service(PLAN);

    ConsentOutcome outcome = service.willSeeResource(request, report, null);

    assertThat(outcome.getStatus()).isEqualTo(ConsentOperationStatusEnum.AUTHORIZED);
    assertThat(outcome.getResource()).isInstanceOf(DiagnosticReport.class).isNotSameAs(report);
    DiagnosticReport projected = (DiagnosticReport) outcome.getResource();
    assertThat(projected.hasConclusion()).isFalse();
    assertThat(FHIR.newJsonParser().encodeResourceToString(report)).isEqualTo(before);
    assertThat(PolicyConsentService.decisions(request).get(report).isPermitted()).isTrue();
  }

  @Test
  void aDeniedResourceIsRejectedInASearchAndMissingOnARead() {
    ImagingStudy bruno = study("bruno-ct", "bruno");
    ConsentOutcome inSearch =
        service(CHEN).willSeeResource(request(RestOperationTypeEnum.SEARCH_TYPE), bruno, null);
    assertThat(inSearch.getStatus()).isEqualTo(ConsentOperationStatusEnum.REJECT);

    assertThatThrownBy(() -> service(CHEN).willSeeResource(request(RestOperationTypeEnum.READ), bruno, null))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void containedResourcesShareTheDecisionOfTheirContainer() {
    SystemRequestDetails request = request(RestOperationTypeEnum.READ);
    PolicyConsentService service = service(CHEN);
    ImagingStudy study = study("alice-ct", "alice");
    Patient contained = new Patient();
    contained.setId("#p1");
    study.addContained(contained);

    assertThat(service.willSeeResource(request, study, null).getStatus()).isEqualTo(ConsentOperationStatusEnum.AUTHORIZED);
    assertThat(service.canSeeResource(request, contained, null).getStatus()).isEqualTo(ConsentOperationStatusEnum.PROCEED);
    assertThat(PolicyConsentService.decisions(request)).containsKey(contained);

    // and inside a denied container they are denied with it
    SystemRequestDetails other = request(RestOperationTypeEnum.SEARCH_TYPE);
    ImagingStudy bruno = study("bruno-ct", "bruno");
    Patient hidden = new Patient();
    hidden.setId("#p2");
    bruno.addContained(hidden);
    assertThat(service.willSeeResource(other, bruno, null).getStatus()).isEqualTo(ConsentOperationStatusEnum.REJECT);
  }

  @Test
  void aSearchBundleIsFilteredAndNotAuthorized() {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    bundle.addEntry().setFullUrl("ImagingStudy/alice-ct").setResource(study("alice-ct", "alice"));
    bundle.addEntry().setFullUrl("ImagingStudy/bruno-ct").setResource(study("bruno-ct", "bruno"));

    ConsentOutcome outcome = service(CHEN).willSeeResource(request(RestOperationTypeEnum.SEARCH_TYPE), bundle, null);

    assertThat(outcome.getStatus()).as("HAPI must still walk the entries").isEqualTo(ConsentOperationStatusEnum.PROCEED);
    assertThat(bundle.getEntry()).extracting(Bundle.BundleEntryComponent::getFullUrl).containsExactly("ImagingStudy/alice-ct");
  }

  @Test
  void aBundleThatIsNoResultIsJudgedAsAWholeAndRefused() {
    // a collection Bundle (say, from an operation) is neither a search result to filter nor a
    // directory resource: it belongs to no patient, so the policy refuses it whole — never AUTHORIZED,
    // which would let what is inside out unjudged
    Bundle collection = new Bundle().setType(Bundle.BundleType.COLLECTION);
    collection.addEntry().setResource(study("alice-ct", "alice"));
    collection.addEntry().setResource(study("bruno-ct", "bruno"));
    ConsentOutcome outcome = service(CHEN).willSeeResource(request(RestOperationTypeEnum.EXTENDED_OPERATION_SERVER, null), collection, null);
    assertThat(outcome.getStatus()).isEqualTo(ConsentOperationStatusEnum.REJECT);
  }

  @Test
  void anOperationOutcomeProceeds() {
    assertThat(service(CHEN).willSeeResource(request(RestOperationTypeEnum.READ), new OperationOutcome(), null).getStatus())
        .isEqualTo(ConsentOperationStatusEnum.PROCEED);
  }

  private PolicyConsentService service(Caller caller) {
    return new PolicyConsentService(policy, request -> caller);
  }

  private static SystemRequestDetails request(RestOperationTypeEnum operation) {
    return request(operation, "ImagingStudy");
  }

  private static SystemRequestDetails request(RestOperationTypeEnum operation, String resourceName) {
    SystemRequestDetails request = new SystemRequestDetails();
    request.setRestOperationType(operation);
    request.setResourceName(resourceName);
    return request;
  }

  private static ImagingStudy study(String id, String patient) {
    ImagingStudy study = new ImagingStudy();
    study.setId("ImagingStudy/" + id);
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.setSubject(new Reference("Patient/" + patient));
    return study;
  }

  private static DiagnosticReport report(String id, String patient) {
    DiagnosticReport report = new DiagnosticReport();
    report.setId("DiagnosticReport/" + id);
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setSubject(new Reference("Patient/" + patient));
    report.setConclusion("Spiculated 2 cm nodule in the right upper lobe.");
    return report;
  }
}
