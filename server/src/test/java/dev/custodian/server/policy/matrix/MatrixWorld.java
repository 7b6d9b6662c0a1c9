package dev.custodian.server.policy.matrix;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import dev.custodian.server.support.Fixtures;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The records and accounts the policy table speaks of, written once per test JVM the way the
 * server writes its own (as the system), so that the demo patients' records stay as the demo loaded
 * them:
 *
 * <ul>
 *   <li>{@code mx-ann}: treated by dr.chen (CareTeam), covered by the health plan (Coverage),
 *       referred to the partner hospital (ServiceRequest), represented by {@code mx-ann-rep}
 *       (RelatedPerson, guardian), two studies and a report; an active release authorization to the
 *       third party naming {@code mx-ann-ct} and its report only;</li>
 *   <li>a third study of {@code mx-ann}, {@code mx-ann-ct3}, and its report, paid out of pocket: her
 *       restriction {@code mx-ann-restriction} (a deny Consent, HIPAA's self-pay restriction) keeps
 *       them from the health plan;</li>
 *   <li>{@code mx-ben}: no relationship; an expired authorization to the third party;</li>
 *   <li>{@code mx-cy}: no relationship; a revoked authorization to the third party;</li>
 *   <li>sign-in accounts (demo password and TOTP secrets) for the patient {@code mx.ann}, the
 *       representative {@code mx.rep}, the emergency clinician {@code mx.er}, HIM staff
 *       {@code mx.him} and the third party {@code mx.attorney}.</li>
 * </ul>
 */
final class MatrixWorld {

  static final String ATTORNEY = "Practitioner/mx-attorney";

  private final DaoRegistry daos;
  private final Fixtures fixtures;
  private final ApplicationContext context;
  /** What the table's {@code {…}} placeholders stand for. */
  private final Map<String, String> placeholders = new LinkedHashMap<>();

  MatrixWorld(DaoRegistry daos, ApplicationContext context) {
    this.daos = daos;
    this.fixtures = new Fixtures(daos);
    this.context = context;
  }

  /** Writes the records and accounts (idempotent: fixed ids, created if absent). */
  void build(String thirdPartyPurpose) {
    fixtures.patientTreatedByDrChen("mx-ann");
    fixtures.store(patient("mx-ann", "Ann"));
    fixtures.store(patient("mx-ben", "Ben"));
    fixtures.store(patient("mx-cy", "Cy"));
    fixtures.store(coverage());
    fixtures.store(referral());
    fixtures.store(representative());
    for (String practitioner : new String[] {"mx-er", "mx-him", "mx-attorney"}) {
      Practitioner person = new Practitioner();
      person.setId(practitioner);
      person.addName().setFamily("Matrix").addGiven(practitioner);
      fixtures.store(person);
    }
    studyAndReport("mx-ann", "mx-ann-ct");
    fixtures.store(study("mx-ann", "mx-ann-ct2"));
    studyAndReport("mx-ben", "mx-ben-ct");
    studyAndReport("mx-cy", "mx-cy-ct");
    fixtures.store(release("mx-ann-release", Consent.ConsentState.ACTIVE, "mx-ann", 30, thirdPartyPurpose,
        "ImagingStudy/mx-ann-ct", "DiagnosticReport/mx-ann-ct-report"));
    fixtures.store(release("mx-ben-release", Consent.ConsentState.ACTIVE, "mx-ben", -1, thirdPartyPurpose,
        "ImagingStudy/mx-ben-ct", "DiagnosticReport/mx-ben-ct-report"));
    studyAndReport("mx-ann", "mx-ann-ct3");
    fixtures.store(selfPayRestriction());
    fixtures.store(release("mx-cy-release", Consent.ConsentState.INACTIVE, "mx-cy", 30, thirdPartyPurpose,
        "ImagingStudy/mx-cy-ct", "DiagnosticReport/mx-cy-ct-report"));
    account("mx.ann", "Patient/mx-ann", "PATIENT", null);
    account("mx.rep", "RelatedPerson/mx-ann-rep", "REPRESENTATIVE", null);
    account("mx.er", "Practitioner/mx-er", "CLINICIAN", "Organization/imaging-centre");
    account("mx.him", "Practitioner/mx-him", "HIM", "Organization/imaging-centre");
    account("mx.attorney", ATTORNEY, "THIRD_PARTY", null);
  }

  /** Names what a {@code {…}} placeholder of the table stands for. */
  void resolve(String placeholder, String reference) {
    placeholders.put(placeholder, reference);
  }

  /** The table's target as a reference, its placeholder resolved. */
  String reference(String target) {
    int open = target.indexOf('{');
    if (open < 0) {
      return target;
    }
    String id = placeholders.get(target.substring(open));
    if (id == null) {
      throw new IllegalStateException("nothing found for " + target);
    }
    return target.substring(0, open) + id;
  }

  /** The record as stored (read as the system). */
  IBaseResource stored(String reference) {
    IdType id = new IdType(reference);
    if ("AuditEvent".equals(id.getResourceType())) {
      return context.getBean(AuditEventStore.class).read(id.getIdPart()).orElseThrow();
    }
    return daos.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
  }

  /** A copy of {@code stored} to create as a new record (no id; a fresh DICOM UID for a study). */
  static Resource copyForCreate(IBaseResource stored) {
    Resource copy = ((Resource) stored).copy();
    copy.setId((String) null);
    copy.setMeta(null);
    if (copy instanceof ImagingStudy study) {
      newUids(study, UUID.randomUUID().toString());
    }
    return copy;
  }

  private static Patient patient(String id, String given) {
    Patient patient = new Patient();
    patient.setId(id);
    patient.addName().setFamily("Matrix").addGiven(given);
    patient.setGender(Enumerations.AdministrativeGender.FEMALE);
    patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-02-03"));
    patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("+1 555 0100");
    patient.addAddress().setCity("Springfield");
    narrative(patient, "Matrix test patient " + given);
    return patient;
  }

  private static Coverage coverage() {
    Coverage coverage = new Coverage();
    coverage.setId("mx-ann-coverage");
    coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
    coverage.setBeneficiary(new Reference("Patient/mx-ann"));
    coverage.addPayor(new Reference("Organization/health-plan"));
    coverage.setSubscriberId("MX-ANN-0001");
    coverage.setPeriod(new Period().setStart(new Date(System.currentTimeMillis() - 86_400_000L * 365)));
    narrative(coverage, "Northwind coverage of Ann Matrix");
    return coverage;
  }

  private static ServiceRequest referral() {
    ServiceRequest referral = new ServiceRequest();
    referral.setId("mx-ann-referral");
    referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    referral.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "3457005", "Patient referral")));
    referral.setSubject(new Reference("Patient/mx-ann"));
    referral.setRequester(new Reference("Practitioner/dr.chen"));
    referral.addPerformer(new Reference("Organization/partner-hospital"));
    return referral;
  }

  private static RelatedPerson representative() {
    RelatedPerson person = new RelatedPerson();
    person.setId("mx-ann-rep");
    person.setActive(true);
    person.setPatient(new Reference("Patient/mx-ann"));
    person.addName().setFamily("Matrix").addGiven("Guardian");
    person.addRelationship(new CodeableConcept(
        new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "GUARD", "guardian")));
    return person;
  }

  /** A study like the demo's CT chest (new UIDs) for {@code patient}, and its report. */
  private void studyAndReport(String patient, String studyId) {
    fixtures.store(study(patient, studyId));
    DiagnosticReport report = (DiagnosticReport) stored("DiagnosticReport/alice-ct-chest-report");
    report = report.copy();
    report.setId(studyId + "-report");
    report.setMeta(null);
    report.setSubject(new Reference("Patient/" + patient));
    report.getImagingStudy().clear();
    report.addImagingStudy(new Reference("ImagingStudy/" + studyId));
    fixtures.store(report);
  }

  private ImagingStudy study(String patient, String id) {
    ImagingStudy study = ((ImagingStudy) stored("ImagingStudy/alice-ct-chest")).copy();
    study.setId(id);
    study.setMeta(null);
    study.setSubject(new Reference("Patient/" + patient));
    newUids(study, id);
    narrative(study, "CT chest of " + patient);
    return study;
  }

  private static void newUids(ImagingStudy study, String seed) {
    study.getIdentifier().clear();
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + uid(seed));
    for (ImagingStudy.ImagingStudySeriesComponent series : study.getSeries()) {
      series.setUid(uid(seed + "/" + series.getNumber()));
      for (ImagingStudy.ImagingStudySeriesInstanceComponent instance : series.getInstance()) {
        instance.setUid(uid(seed + "/" + series.getNumber() + "/" + instance.getNumber()));
      }
    }
  }

  /** A DICOM UID under the UUID-derived root 2.25, the same for the same seed. */
  private static String uid(String seed) {
    UUID uuid = UUID.nameUUIDFromBytes(("custodian-matrix:" + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ByteBuffer bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return "2.25." + new BigInteger(1, bytes.array());
  }

  private static Consent release(String id, Consent.ConsentState state, String patient, int daysLeft, String purpose,
      String... records) {
    return Fixtures.releaseAuthorization(id, state, "Patient/" + patient, ATTORNEY, purpose, daysLeft, records);
  }

  /** mx-ann's restriction: the health plan may not receive the study she paid for herself. */
  private static Consent selfPayRestriction() {
    Consent consent = new Consent();
    consent.setId("mx-ann-restriction");
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
    consent.setPatient(new Reference("Patient/mx-ann"));
    consent.setPolicyRule(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTOUT", "opt-out")));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.DENY);
    provision.addActor()
        .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")))
        .setReference(new Reference("Organization/health-plan"));
    for (String record : new String[] {"ImagingStudy/mx-ann-ct3", "DiagnosticReport/mx-ann-ct3-report"}) {
      provision.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE).setReference(new Reference(record));
    }
    return consent;
  }

  private static void narrative(DomainResource resource, String text) {
    resource.getText().setStatus(Narrative.NarrativeStatus.GENERATED)
        .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + text + "</div>");
  }

  private void account(String username, String fhirUser, String role, String organization) {
    UserAccountRepository accounts = context.getBean(UserAccountRepository.class);
    if (accounts.find(username).isPresent()) {
      return;
    }
    accounts.createIfAbsent(new UserAccount(username,
        context.getBean(PasswordEncoder.class).encode(DemoAccounts.DEMO_PASSWORD), "Matrix " + username, fhirUser,
        Set.of(role), organization, true, DemoAccounts.demoTotpSecret(username), null));
  }
}
