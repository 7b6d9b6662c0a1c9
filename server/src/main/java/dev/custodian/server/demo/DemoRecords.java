package dev.custodian.server.demo;

import static dev.custodian.server.demo.DemoIds.*;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The demo records, documented in the README: patients alice and bruno; dr.chen, who treats alice
 * (an active CareTeam and an Encounter); dr.diaz, who has no relationship with either; the imaging
 * centre; a health plan with a Coverage for alice; the partner hospital, to which alice is referred
 * (its backend system's care relationship); Ana Costa, bruno's health care agent (his personal
 * representative); a billing business associate; two CT studies with a final report each per patient.
 */
final class DemoRecords {

  private DemoRecords() {}

  /** The demo records; the WADO-RS Endpoint's address is {@code dicomwebBase}, this server's DICOMweb. */
  static List<Resource> all(String dicomwebBase) {
    List<Resource> records = new ArrayList<>();
    records.add(organization(IMAGING_CENTRE, "Custodian Imaging Centre", "prov", "Healthcare Provider"));
    records.add(organization(HEALTH_PLAN, "Northwind Health Plan", "pay", "Payer"));
    records.add(organization(PARTNER_HOSPITAL, "Harbor Partner Hospital", "prov", "Healthcare Provider"));
    records.add(organization(BILLING_ASSOCIATE, "Clearwater Billing Services", "bus", "Non-Healthcare Business or Corporation"));
    records.add(wadoEndpoint(dicomwebBase));
    records.add(practitioner(DR_CHEN, "Chen", "Wei", "male"));
    records.add(practitioner(DR_DIAZ, "Diaz", "Lucia", "female"));
    records.add(practitioner(PAYER_EVANS, "Evans", "Jordan", "unknown"));
    records.add(practitioner(OPS_FOX, "Fox", "Riley", "unknown"));
    records.add(practitioner(AUDIT_GRAY, "Gray", "Morgan", "unknown"));
    records.add(practitioner(HIM_HILL, "Hill", "Harper", "unknown"));
    records.add(role(DR_CHEN, IMAGING_CENTRE, "doctor", "Doctor"));
    records.add(role(DR_DIAZ, IMAGING_CENTRE, "doctor", "Doctor"));
    records.add(role(PAYER_EVANS, HEALTH_PLAN, "claims-reviewer", "Claims reviewer"));
    records.add(role(OPS_FOX, IMAGING_CENTRE, "quality-improvement", "Quality improvement"));
    records.add(role(AUDIT_GRAY, IMAGING_CENTRE, "privacy-auditor", "Privacy auditor"));
    records.add(role(HIM_HILL, IMAGING_CENTRE, "health-information-management", "Health information management"));
    records.add(patient(ALICE, "Martin", "Alice", "female", LocalDate.of(1984, 5, 17), "MRN-100001"));
    records.add(patient(BRUNO, "Costa", "Bruno", "male", LocalDate.of(1969, 11, 2), "MRN-100002"));
    records.add(representative());
    records.add(careTeam());
    records.add(encounter());
    records.add(coverage());
    records.add(partnerReferral());
    addImaging(records, ALICE, "alice-ct-chest", CtProcedure.CHEST, date(2026, 3, 14, 9, 30));
    addImaging(records, ALICE, "alice-ct-head", CtProcedure.HEAD, date(2026, 9, 2, 14, 5));
    addImaging(records, BRUNO, "bruno-ct-abdomen", CtProcedure.ABDOMEN_PELVIS, date(2026, 6, 21, 11, 0));
    addImaging(records, BRUNO, "bruno-ct-chest", CtProcedure.CHEST_CONTRAST, date(2026, 10, 8, 16, 45));
    return records;
  }

  private static void addImaging(
      List<Resource> records, String patient, String studyId, CtProcedure procedure, Date started) {
    ImagingStudy study = CtRecords.study(studyId, patient, procedure, started, 2, 3, true);
    records.add(study);
    Date issued = new Date(started.getTime() + 3L * 3600 * 1000);
    records.add(CtRecords.report(studyId + "-report", study, procedure, issued, IMAGING_CENTRE));
  }

  static Date date(int year, int month, int day, int hour, int minute) {
    return Date.from(OffsetDateTime.of(year, month, day, hour, minute, 0, 0, ZoneOffset.UTC).toInstant());
  }

  private static Organization organization(String id, String name, String type, String typeDisplay) {
    Organization org = new Organization();
    org.setId(id);
    org.addIdentifier().setSystem(DEMO_SYSTEM).setValue(id);
    org.setActive(true);
    org.setName(name);
    org.addType(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/organization-type", type, typeDisplay)));
    return org;
  }

  private static Endpoint wadoEndpoint(String dicomwebBase) {
    Endpoint endpoint = new Endpoint();
    endpoint.setId(WADO_ENDPOINT);
    endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
    endpoint.setConnectionType(
        new Coding(
            "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
            "dicom-wado-rs",
            "DICOM WADO-RS"));
    endpoint.setName("Custodian Imaging Centre WADO-RS");
    endpoint.setManagingOrganization(new Reference("Organization/" + IMAGING_CENTRE));
    endpoint.addPayloadType(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/endpoint-payload-type", "DICOM", "DICOM")));
    endpoint.addPayloadMimeType("application/dicom");
    endpoint.setAddress(dicomwebBase);
    return endpoint;
  }

  private static Practitioner practitioner(String id, String family, String given, String gender) {
    Practitioner practitioner = new Practitioner();
    practitioner.setId(id);
    practitioner.addIdentifier().setSystem(DEMO_SYSTEM).setValue(id);
    practitioner.setActive(true);
    HumanName name = new HumanName().setFamily(family).addGiven(given);
    if (id.startsWith("dr.")) {
      name.addPrefix("Dr.");
    }
    practitioner.addName(name);
    practitioner.setGender(Enumerations.AdministrativeGender.fromCode(gender));
    return practitioner;
  }

  private static PractitionerRole role(String practitionerId, String organization, String code, String display) {
    PractitionerRole role = new PractitionerRole();
    role.setId(practitionerId.replace('.', '-') + "-role");
    role.setActive(true);
    role.setPractitioner(new Reference("Practitioner/" + practitionerId));
    role.setOrganization(new Reference("Organization/" + organization));
    String system = code.equals("doctor")
        ? "http://terminology.hl7.org/CodeSystem/practitioner-role"
        : "https://custodian.dev/fhir/CodeSystem/staff-role";
    role.addCode(new CodeableConcept(new Coding(system, code, display)));
    return role;
  }

  private static Patient patient(
      String id, String family, String given, String gender, LocalDate birth, String mrn) {
    Patient patient = new Patient();
    patient.setId(id);
    patient.addIdentifier().setSystem(DEMO_SYSTEM).setValue(id);
    patient.addIdentifier().setSystem(MRN_SYSTEM).setValue(mrn);
    patient.setActive(true);
    patient.addName(new HumanName().setFamily(family).addGiven(given));
    patient.setGender(Enumerations.AdministrativeGender.fromCode(gender));
    patient.setBirthDate(java.sql.Date.valueOf(birth));
    patient.addTelecom(
        new ContactPoint()
            .setSystem(ContactPoint.ContactPointSystem.EMAIL)
            .setValue(id + "@example.org"));
    patient.setManagingOrganization(new Reference("Organization/" + IMAGING_CENTRE));
    return patient;
  }

  /**
   * Ana Costa holds bruno's health care power of attorney (v3 RoleCode HPOWATT): a personal
   * representative (45 CFR 164.502(g)) who may act for him, from the start of 2026.
   */
  private static RelatedPerson representative() {
    RelatedPerson person = new RelatedPerson();
    person.setId(REP_COSTA);
    person.addIdentifier().setSystem(DEMO_SYSTEM).setValue(REP_COSTA);
    person.setActive(true);
    person.setPatient(new Reference("Patient/" + BRUNO));
    person.addRelationship(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "HPOWATT", "healthcare power of attorney")));
    person.addName(new HumanName().setFamily("Costa").addGiven("Ana"));
    person.setGender(Enumerations.AdministrativeGender.FEMALE);
    person.setPeriod(new Period().setStart(date(2026, 1, 1, 0, 0)));
    return person;
  }

  private static CareTeam careTeam() {
    CareTeam team = new CareTeam();
    team.setId("alice-care-team");
    team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
    team.setName("Alice Martin's care team");
    team.setSubject(new Reference("Patient/" + ALICE));
    team.addParticipant()
        .setMember(new Reference("Practitioner/" + DR_CHEN))
        .addRole(new CodeableConcept(new Coding(CtRecords.SNOMED, "158965000", "Medical practitioner")));
    team.addManagingOrganization(new Reference("Organization/" + IMAGING_CENTRE));
    return team;
  }

  private static Encounter encounter() {
    Encounter encounter = new Encounter();
    encounter.setId("alice-encounter-1");
    encounter.setStatus(Encounter.EncounterStatus.FINISHED);
    encounter.setClass_(
        new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
    encounter.setSubject(new Reference("Patient/" + ALICE));
    encounter.addParticipant().setIndividual(new Reference("Practitioner/" + DR_CHEN));
    encounter.setPeriod(
        new Period().setStart(date(2026, 9, 2, 13, 0)).setEnd(date(2026, 9, 2, 15, 0)));
    encounter.setServiceProvider(new Reference("Organization/" + IMAGING_CENTRE));
    return encounter;
  }

  /**
   * Dr. Chen refers alice to the partner hospital for a follow-up: an active ServiceRequest whose
   * performer is the hospital, the care relationship through which its backend system may read her
   * records (bruno has no such referral).
   */
  private static ServiceRequest partnerReferral() {
    ServiceRequest referral = new ServiceRequest();
    referral.setId(ALICE_PARTNER_REFERRAL);
    referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
    referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    referral.setCode(new CodeableConcept(new Coding(CtRecords.SNOMED, "3457005", "Patient referral")));
    referral.setSubject(new Reference("Patient/" + ALICE));
    referral.setAuthoredOn(date(2026, 9, 3, 10, 0));
    referral.setRequester(new Reference("Practitioner/" + DR_CHEN));
    referral.addPerformer(new Reference("Organization/" + PARTNER_HOSPITAL));
    referral.setNote(List.of(new org.hl7.fhir.r4.model.Annotation().setText(
        "Follow-up of the CT head findings; please review the studies and reports.")));
    return referral;
  }

  private static Coverage coverage() {
    Coverage coverage = new Coverage();
    coverage.setId("alice-coverage");
    coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
    coverage.setBeneficiary(new Reference("Patient/" + ALICE));
    coverage.addPayor(new Reference("Organization/" + HEALTH_PLAN));
    coverage.setSubscriberId("NW-55501");
    coverage.setPeriod(new Period().setStart(date(2026, 1, 1, 0, 0)).setEnd(date(2030, 12, 31, 23, 59)));
    return coverage;
  }
}
