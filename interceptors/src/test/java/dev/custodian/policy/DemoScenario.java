package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.facts.AuthorizationStatus;
import dev.custodian.policy.facts.EmergencyGrant;
import dev.custodian.policy.facts.InMemoryPolicyFacts;
import dev.custodian.policy.facts.ReleaseAuthorization;
import dev.custodian.policy.minimum.MinimumNecessary;
import dev.custodian.policy.resource.ReviewQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * The demo world of the README, as the policy sees it, at {@link #NOW} (2026-11-25 12:00 UTC):
 *
 * <ul>
 *   <li>patients alice and bruno, two CT studies with a final report each (series, instances,
 *       narrative, conclusion, presentedForm); alice also has a lab report (category LAB);</li>
 *   <li>dr.chen treats alice (active CareTeam); dr.diaz has no relationship; dr.ortiz saw bruno in an
 *       Encounter 5 days ago, dr.ng 85 days ago (outside the 30-day window);</li>
 *   <li>carol (RelatedPerson) is alice's personal representative;</li>
 *   <li>the health plan pays for alice's active Coverage, not bruno's;</li>
 *   <li>the imaging centre (Organization) is on alice's CareTeam and performed every report; the city
 *       hospital has a referral for bruno; the other clinic has an authorization for one of bruno's
 *       reports;</li>
 *   <li>dr.ruiz, an emergency physician with no relationship, broke the glass for bruno ten minutes
 *       ago (ETREAT, a grant until 50 minutes from now) and for alice two hours ago (expired an hour
 *       ago); the review item of bruno's grant is {@code Task/btg-review-1}; alice also has an
 *       ordinary Task (a request for copies);</li>
 *   <li>release authorizations to ms.evans (a third party): an active one covering exactly
 *       alice-ct-head and its report, an expired one covering alice-ct-chest, a revoked one covering
 *       alice-ct-chest-report; one to mr.frank covering alice-ct-chest.</li>
 * </ul>
 */
final class DemoScenario {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  static final String RAD = "http://terminology.hl7.org/CodeSystem/v2-0074";

  final InMemoryPolicyFacts facts = new InMemoryPolicyFacts();
  final Map<String, Resource> resources = new LinkedHashMap<>();
  final Map<String, Caller> callers = new LinkedHashMap<>();

  DemoScenario() {
    addFacts();
    addResources();
    addCallers();
  }

  AccessPolicy policy() {
    return policyAt(NOW);
  }

  AccessPolicy policyAt(Instant instant) {
    return new AccessPolicy(facts, MinimumNecessary.loadDefault(), PolicySettings.defaults(),
        Clock.fixed(instant, ZoneOffset.UTC));
  }

  Resource resource(String reference) {
    Resource resource = resources.get(reference);
    if (resource == null) {
      throw new NoSuchElementException(reference);
    }
    return resource;
  }

  Caller caller(String name) {
    Caller caller = callers.get(name);
    if (caller == null) {
      throw new NoSuchElementException(name);
    }
    return caller;
  }

  // ------------------------------------------------------------------ facts

  private void addFacts() {
    Instant jan1 = Instant.parse("2026-01-01T00:00:00Z");
    facts.careTeamMember("Practitioner/dr.chen", "Patient/alice", jan1, null);
    facts.careTeamMember("Organization/imaging-centre", "Patient/alice", jan1, null);
    facts.encounterParticipant("Practitioner/dr.chen", "Patient/alice",
        Instant.parse("2026-09-02T13:00:00Z"), Instant.parse("2026-09-02T15:00:00Z"));
    facts.encounterParticipant("Practitioner/dr.ortiz", "Patient/bruno",
        Instant.parse("2026-11-20T09:00:00Z"), Instant.parse("2026-11-20T10:00:00Z"));
    facts.encounterParticipant("Practitioner/dr.ng", "Patient/bruno",
        Instant.parse("2026-09-01T09:00:00Z"), Instant.parse("2026-09-01T10:00:00Z"));
    facts.representative("RelatedPerson/carol", "Patient/alice", null, null);
    facts.payor("Organization/health-plan", "Patient/alice", jan1, Instant.parse("2031-01-01T00:00:00Z"));
    facts.referral("Organization/city-hospital", "Patient/bruno", jan1, null);
    facts.authorization(authorization("release-evans", "Person/ms.evans", Set.of("ImagingStudy/alice-ct-head",
        "DiagnosticReport/alice-ct-head-report"), "2026-11-01T00:00:00Z", "2027-05-01T00:00:00Z",
        AuthorizationStatus.ACTIVE));
    facts.authorization(authorization("release-evans-expired", "Person/ms.evans",
        Set.of("ImagingStudy/alice-ct-chest"), "2026-06-01T00:00:00Z", "2026-11-01T00:00:00Z",
        AuthorizationStatus.ACTIVE));
    facts.authorization(authorization("release-evans-revoked", "Person/ms.evans",
        Set.of("DiagnosticReport/alice-ct-chest-report"), "2026-11-01T00:00:00Z", "2027-05-01T00:00:00Z",
        AuthorizationStatus.REVOKED));
    facts.authorization(authorization("release-frank", "Person/mr.frank",
        Set.of("ImagingStudy/alice-ct-chest"), "2026-11-01T00:00:00Z", "2027-05-01T00:00:00Z",
        AuthorizationStatus.ACTIVE));
    facts.emergencyGrant(new EmergencyGrant("grant-ruiz-bruno", "Practitioner/dr.ruiz", "Patient/bruno",
        PurposeOfUse.ETREAT, "unconscious after a car crash, prior CT needed", NOW.minusSeconds(600),
        NOW.plusSeconds(3000)));
    facts.emergencyGrant(new EmergencyGrant("grant-ruiz-alice", "Practitioner/dr.ruiz", "Patient/alice",
        PurposeOfUse.BTG, "chest pain in the ED, comparison imaging", NOW.minusSeconds(7200),
        NOW.minusSeconds(3600)));
    facts.authorization(new ReleaseAuthorization("Consent/release-other-clinic", "Patient/bruno",
        "Organization/other-clinic", Set.of("DiagnosticReport/bruno-ct-chest-report"),
        Set.of(PurposeOfUse.TREAT), Instant.parse("2026-11-01T00:00:00Z"),
        Instant.parse("2027-05-01T00:00:00Z"), AuthorizationStatus.ACTIVE));
  }

  static ReleaseAuthorization authorization(
      String id, String recipient, Set<String> data, String start, String end, AuthorizationStatus status) {
    return new ReleaseAuthorization("Consent/" + id, "Patient/alice", recipient, data,
        Set.of(PurposeOfUse.PATRQT), Instant.parse(start), Instant.parse(end), status);
  }

  // ------------------------------------------------------------------ resources

  private void addResources() {
    add(patient("alice"));
    add(patient("bruno"));
    add(study("alice-ct-chest", "alice"));
    add(report("alice-ct-chest-report", "alice", "alice-ct-chest", "RAD"));
    add(study("alice-ct-head", "alice"));
    add(report("alice-ct-head-report", "alice", "alice-ct-head", "RAD"));
    add(report("alice-lab-report", "alice", null, "LAB"));
    add(study("bruno-ct-abdomen", "bruno"));
    add(report("bruno-ct-abdomen-report", "bruno", "bruno-ct-abdomen", "RAD"));
    add(study("bruno-ct-chest", "bruno"));
    add(report("bruno-ct-chest-report", "bruno", "bruno-ct-chest", "RAD"));

    Organization centre = new Organization().setName("Custodian Imaging Centre");
    centre.setId("imaging-centre");
    add(centre);
    Practitioner chen = new Practitioner();
    chen.setId("dr.chen");
    chen.addName().setFamily("Chen");
    add(chen);
    Endpoint endpoint = new Endpoint().setAddress("http://localhost:8080/dicomweb");
    endpoint.setId("imaging-centre-wado");
    add(endpoint);

    CareTeam team = new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE).setSubject(ref("Patient/alice"));
    team.addParticipant().setMember(ref("Practitioner/dr.chen"));
    team.setId("alice-care-team");
    add(team);
    Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED).setSubject(ref("Patient/alice"));
    encounter.setId("alice-encounter-1");
    add(encounter);
    Coverage coverage = new Coverage().setStatus(Coverage.CoverageStatus.ACTIVE).setBeneficiary(ref("Patient/alice"));
    coverage.addPayor(ref("Organization/health-plan"));
    coverage.setSubscriberId("NW-55501");
    coverage.setId("alice-coverage");
    add(coverage);
    Coverage shared = new Coverage().setStatus(Coverage.CoverageStatus.ACTIVE).setBeneficiary(ref("Patient/alice"))
        .setSubscriber(ref("Patient/bruno"));
    shared.addPayor(ref("Organization/health-plan"));
    shared.setId("family-coverage");
    add(shared);

    Consent consent = new Consent().setStatus(Consent.ConsentState.ACTIVE).setPatient(ref("Patient/alice"));
    consent.setId("release-evans");
    add(consent);

    AuditEvent audit = new AuditEvent();
    audit.setRecorded(Date.from(NOW));
    audit.addAgent().setWho(ref("Practitioner/dr.chen")).setRequestor(true);
    audit.addEntity().setWhat(ref("Patient/alice"));
    audit.setId("audit-1");
    add(audit);

    Task review = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER)
        .setCode(new CodeableConcept(new Coding(ReviewQueue.CODE_SYSTEM, ReviewQueue.BREAK_THE_GLASS_REVIEW, null)))
        .setFor(ref("Patient/bruno")).setRequester(ref("Practitioner/dr.ruiz"));
    review.setId("btg-review-1");
    add(review);
    Task copies = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER)
        .setFor(ref("Patient/alice"));
    copies.setId("alice-copy-request");
    add(copies);

    ImagingStudy orphan = study("orphan-study", "alice");
    orphan.setSubject(null);
    add(orphan);
    ImagingStudy foreign = study("foreign-study", "alice");
    foreign.setSubject(new Reference("http://elsewhere.example/fhir/Patient/alice"));
    add(foreign);
  }

  private void add(Resource resource) {
    resources.put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
  }

  static Reference ref(String reference) {
    return new Reference(reference);
  }

  static Patient patient(String id) {
    Patient patient = new Patient();
    patient.setId(id);
    patient.addIdentifier().setSystem("https://custodian.dev/fhir/sid/mrn").setValue("MRN-" + id);
    patient.addName().setFamily(id.toUpperCase()).addGiven(id);
    patient.setBirthDate(Date.from(Instant.parse("1984-05-17T00:00:00Z")));
    patient.addAddress().setCity("Springfield");
    patient.setText(narrative("Patient " + id));
    return patient;
  }

  static ImagingStudy study(String id, String patient) {
    ImagingStudy study = new ImagingStudy();
    study.setId(id);
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:2.25." + Math.abs(id.hashCode()));
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", "Computed Tomography"));
    study.setSubject(ref("Patient/" + patient));
    study.setStartedElement(new DateTimeType("2026-09-02T14:05:00Z"));
    study.addEndpoint(ref("Endpoint/imaging-centre-wado"));
    study.addProcedureCode(new CodeableConcept(new Coding("http://loinc.org", "24627-2", "CT Chest")));
    study.setDescription("CT of " + patient);
    study.addReasonCode().setText("persistent cough, suspected malignancy");
    study.setNumberOfSeries(2);
    study.setNumberOfInstances(6);
    for (int s = 1; s <= 2; s++) {
      ImagingStudy.ImagingStudySeriesComponent series = study.addSeries().setUid("2.25.1" + s).setNumber(s);
      series.setModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", null));
      for (int i = 1; i <= 3; i++) {
        series.addInstance().setUid("2.25.1" + s + i).setNumber(i)
            .setSopClass(new Coding("urn:ietf:rfc:3986", "urn:oid:1.2.840.10008.5.1.4.1.1.2", null));
      }
    }
    study.setText(narrative("CT study of " + patient));
    return study;
  }

  static DiagnosticReport report(String id, String patient, String study, String category) {
    DiagnosticReport report = new DiagnosticReport();
    report.setId(id);
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.addCategory(new CodeableConcept(new Coding(RAD, category, category)));
    report.setCode(new CodeableConcept(new Coding("http://loinc.org", "24627-2", "CT Chest")));
    report.setSubject(ref("Patient/" + patient));
    report.setEffective(new DateTimeType("2026-09-02T14:05:00Z"));
    report.setIssuedElement(new InstantType("2026-09-02T17:05:00Z"));
    report.addPerformer(ref("Organization/imaging-centre"));
    if (study != null) {
      report.addImagingStudy(ref("ImagingStudy/" + study));
    }
    report.addResult(ref("Observation/" + id + "-finding"));
    report.setConclusion("Spiculated 2 cm nodule in the right upper lobe, suspicious for malignancy.");
    report.addConclusionCode(new CodeableConcept(new Coding("http://snomed.info/sct", "363358000", "Malignant tumor of lung")));
    report.addPresentedForm(new Attachment().setContentType("text/plain")
        .setData("IMPRESSION: suspicious nodule".getBytes(StandardCharsets.UTF_8)));
    report.setText(narrative("Report for " + patient + ": suspicious nodule"));
    return report;
  }

  private static Narrative narrative(String text) {
    Narrative narrative = new Narrative();
    narrative.setStatus(Narrative.NarrativeStatus.GENERATED);
    narrative.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + text + "</div>");
    return narrative;
  }

  // ------------------------------------------------------------------ callers

  private void addCallers() {
    callers.put("alice", patientCaller("alice"));
    callers.put("bruno", patientCaller("bruno"));
    callers.put("carol", Caller.builder().fhirUser("RelatedPerson/carol").clientId("patient-app")
        .roles(Role.REPRESENTATIVE).scopes("launch/patient patient/*.rs patient/Consent.cu").launchPatient("alice")
        .purpose(PurposeOfUse.PATRQT).tokenId("t-carol").build());
    callers.put("carol-for-bruno", Caller.builder().fhirUser("RelatedPerson/carol").clientId("patient-app")
        .roles(Role.REPRESENTATIVE).scopes("user/*.rs").purpose(PurposeOfUse.PATRQT).tokenId("t-carol2").build());
    callers.put("dr.chen", clinician("dr.chen", "user/*.cruds", PurposeOfUse.TREAT, null));
    callers.put("dr.chen-patient-bruno", Caller.builder().fhirUser("Practitioner/dr.chen").clientId("ehr")
        .roles(Role.CLINICIAN).scopes("launch patient/*.rs").launchPatient("bruno")
        .purpose(PurposeOfUse.TREAT).tokenId("t-chen-b").build());
    callers.put("dr.chen-studies-only", clinician("dr.chen", "user/ImagingStudy.rs", PurposeOfUse.TREAT, null));
    callers.put("dr.chen-rad-only", clinician("dr.chen",
        "user/DiagnosticReport.rs?category=" + RAD + "|RAD", PurposeOfUse.TREAT, null));
    callers.put("dr.chen-btg", clinician("dr.chen", "user/*.cruds", PurposeOfUse.BTG,
        "patient unconscious in ED, possible pulmonary embolism"));
    callers.put("dr.diaz", clinician("dr.diaz", "user/*.cruds", PurposeOfUse.TREAT, null));
    callers.put("dr.diaz-btg", clinician("dr.diaz", "user/*.rs", PurposeOfUse.BTG,
        "patient unconscious in ED, possible pulmonary embolism"));
    callers.put("dr.diaz-etreat", clinician("dr.diaz", "user/*.rs", PurposeOfUse.ETREAT,
        "trauma patient, prior imaging needed"));
    callers.put("dr.diaz-payment", clinician("dr.diaz", "user/*.rs", PurposeOfUse.HPAYMT, null));
    callers.put("dr.ruiz", clinician("dr.ruiz", "user/*.cruds", PurposeOfUse.TREAT, null));
    callers.put("dr.ruiz-studies-only", clinician("dr.ruiz", "user/ImagingStudy.rs", PurposeOfUse.TREAT, null));
    callers.put("dr.ruiz-btg", clinician("dr.ruiz", "user/*.rs", PurposeOfUse.BTG, "still unconscious, need the reports"));
    callers.put("dr.ortiz", clinician("dr.ortiz", "user/*.rs", PurposeOfUse.TREAT, null));
    callers.put("dr.ng", clinician("dr.ng", "user/*.rs", PurposeOfUse.TREAT, null));
    callers.put("health-plan", staff("Person/hp.analyst", Role.HEALTH_PLAN, "Organization/health-plan",
        "user/*.rs", PurposeOfUse.HPAYMT, null));
    callers.put("health-plan-treat", staff("Person/hp.analyst", Role.HEALTH_PLAN, "Organization/health-plan",
        "user/*.rs", PurposeOfUse.TREAT, null));
    callers.put("other-plan", staff("Person/op.analyst", Role.HEALTH_PLAN, "Organization/other-plan",
        "user/*.rs", PurposeOfUse.HPAYMT, null));
    callers.put("ops", staff("Practitioner/ops.olga", Role.OPERATIONS, "Organization/imaging-centre",
        "user/*.rs", PurposeOfUse.HOPERAT, null));
    callers.put("ops-treat", staff("Practitioner/ops.olga", Role.OPERATIONS, "Organization/imaging-centre",
        "user/*.rs", PurposeOfUse.TREAT, null));
    callers.put("him-legal", staff("Practitioner/him.hana", Role.HIM, "Organization/imaging-centre",
        "user/*.rs", PurposeOfUse.HLEGAL, "subpoena duces tecum, case 26-CV-1234"));
    callers.put("him-pubhlth", staff("Practitioner/him.hana", Role.HIM, "Organization/imaging-centre",
        "user/*.rs", PurposeOfUse.PUBHLTH, "state cancer registry reporting"));
    callers.put("ops-legal", staff("Practitioner/ops.olga", Role.OPERATIONS, "Organization/imaging-centre",
        "user/*.rs", PurposeOfUse.HLEGAL, "subpoena duces tecum, case 26-CV-1234"));
    callers.put("ms.evans", staff("Person/ms.evans", Role.THIRD_PARTY, null, "user/*.rs", PurposeOfUse.PATRQT, null));
    callers.put("ms.evans-legal", staff("Person/ms.evans", Role.THIRD_PARTY, null, "user/*.rs",
        PurposeOfUse.HLEGAL, "litigation on behalf of the patient"));
    callers.put("mr.frank", staff("Person/mr.frank", Role.THIRD_PARTY, null, "user/*.rs", PurposeOfUse.PATRQT, null));
    callers.put("auditor", staff("Practitioner/aud.ike", Role.AUDITOR, "Organization/imaging-centre",
        "user/AuditEvent.rs user/*.rs", PurposeOfUse.HOPERAT, null));
    callers.put("auditor-wildcard", staff("Practitioner/aud.ike", Role.AUDITOR, "Organization/imaging-centre",
        "user/*.cruds", PurposeOfUse.HOPERAT, null));
    callers.put("auditor-write", staff("Practitioner/aud.ike", Role.AUDITOR, "Organization/imaging-centre",
        "user/AuditEvent.cruds", PurposeOfUse.HOPERAT, null));
    callers.put("privacy-officer", staff("Practitioner/po.pat", Role.PRIVACY_OFFICER, "Organization/imaging-centre",
        "user/AuditEvent.rs user/*.rs", PurposeOfUse.HOPERAT, null));
    callers.put("reviewer", staff("Practitioner/po.pat", Role.PRIVACY_OFFICER, "Organization/imaging-centre",
        "user/Task.rus", PurposeOfUse.HOPERAT, null));
    callers.put("dr.chen-audit", clinician("dr.chen", "user/AuditEvent.rs user/*.rs", PurposeOfUse.TREAT, null));
    callers.put("centre-system", system("Organization/imaging-centre", Role.SYSTEM, "system/*.cruds", PurposeOfUse.TREAT));
    callers.put("city-system", system("Organization/city-hospital", Role.SYSTEM, "system/*.rs", PurposeOfUse.TREAT));
    callers.put("city-system-studies", system("Organization/city-hospital", Role.SYSTEM, "system/ImagingStudy.rs", PurposeOfUse.TREAT));
    callers.put("city-system-user-scopes", system("Organization/city-hospital", Role.SYSTEM, "user/*.rs patient/*.rs", PurposeOfUse.TREAT));
    callers.put("dr.chen-system-scopes", clinician("dr.chen", "system/*.rs", PurposeOfUse.TREAT, null));
    callers.put("other-clinic-system", system("Organization/other-clinic", Role.SYSTEM, "system/*.rs", PurposeOfUse.TREAT));
    callers.put("ba-system", system("Organization/billing-associate", Role.BUSINESS_ASSOCIATE, "system/*.rs", PurposeOfUse.HOPERAT));
    callers.put("ba-treat", system("Organization/billing-associate", Role.BUSINESS_ASSOCIATE, "system/*.rs", PurposeOfUse.TREAT));
    callers.put("nobody", Caller.builder().fhirUser("Person/nobody").clientId("app").scopes("user/*.rs")
        .purpose(PurposeOfUse.PATRQT).tokenId("t-nobody").build());
  }

  private static Caller patientCaller(String id) {
    return Caller.builder().fhirUser("Patient/" + id).clientId("patient-app").roles(Role.PATIENT)
        .scopes("launch/patient openid fhirUser patient/*.rs patient/Consent.cu patient/DiagnosticReport.cud")
        .launchPatient(id).purpose(PurposeOfUse.PATRQT).tokenId("t-" + id).build();
  }

  private static Caller clinician(String id, String scopes, PurposeOfUse purpose, String reason) {
    return Caller.builder().fhirUser("Practitioner/" + id).clientId("ehr").roles(Role.CLINICIAN)
        .organization("Organization/imaging-centre").scopes(scopes).purpose(purpose)
        .breakGlassReason(reason).tokenId("t-" + id + "-" + purpose).build();
  }

  private static Caller staff(
      String fhirUser, Role role, String organization, String scopes, PurposeOfUse purpose, String reason) {
    return Caller.builder().fhirUser(fhirUser).clientId("console").roles(role).organization(organization)
        .scopes(scopes).purpose(purpose).breakGlassReason(reason).tokenId("t-" + fhirUser).build();
  }

  private static Caller system(String organization, Role role, String scopes, PurposeOfUse purpose) {
    return Caller.builder().clientId("client-" + organization).roles(role).organization(organization)
        .scopes(scopes).purpose(purpose).tokenId("t-" + organization).build();
  }
}
