package dev.custodian.server.dicomweb;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.dicom.model.KeyAttributes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The FHIR side of a stored study: its ImagingStudy (identifier {@code urn:dicom:uid}, subject, started,
 * modalities, series and instances, counts, the DICOMweb Endpoint) and its Patient, found by patient
 * ID and issuer or created. Reads and writes go through the DAOs as the system: the caller's access
 * was decided before, on the same resources.
 */
class ImagingStudyLink {

  static final String DICOM_UID_SYSTEM = "urn:dicom:uid";
  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String ENDPOINT_ID = "custodian-dicomweb";

  private final DaoRegistry daos;
  private final String defaultPatientIdSystem;
  private final String dicomwebBase;

  /**
   * @param defaultPatientIdSystem the identifier system of a Patient ID without a URI issuer
   * @param dicomwebBase the public DICOMweb base URL, the address of the Endpoint
   */
  ImagingStudyLink(DaoRegistry daos, String defaultPatientIdSystem, String dicomwebBase) {
    this.daos = daos;
    this.defaultPatientIdSystem = defaultPatientIdSystem;
    this.dicomwebBase = dicomwebBase;
  }

  /** The ImagingStudy with this id, if it exists. */
  Optional<ImagingStudy> read(String id) {
    try {
      return Optional.of(studies().read(new IdType("ImagingStudy", id), new SystemRequestDetails()));
    } catch (ResourceNotFoundException | ResourceGoneException missing) {
      return Optional.empty();
    }
  }

  /** The patient a reference ({@code Patient/x}) names. */
  Patient readPatient(String reference) {
    return daos.getResourceDao(Patient.class).read(new IdType(reference), new SystemRequestDetails());
  }

  /** The ImagingStudy whose identifier is this study UID (e.g. written over FHIR before its images). */
  Optional<ImagingStudy> findByUid(String studyUid) {
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add("identifier", new TokenParam(DICOM_UID_SYSTEM, "urn:oid:" + studyUid));
    return studies().search(query, new SystemRequestDetails()).getAllResources().stream()
        .map(ImagingStudy.class::cast).findFirst();
  }

  /** The identifier system a DICOM Patient ID with this issuer maps to. */
  String patientIdSystem(String issuer) {
    if (issuer == null || issuer.isBlank()) {
      return defaultPatientIdSystem;
    }
    return issuer.contains(":") ? issuer : "urn:dicom:issuer:" + issuer.strip().replace(' ', '_');
  }

  /** {@code Patient/<id>} of the patient with this Patient ID and issuer, if there is exactly one. */
  Optional<String> findPatient(String patientId, String issuer) {
    if (patientId == null) {
      return Optional.empty();
    }
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add("identifier", new TokenParam(patientIdSystem(issuer), patientId));
    IFhirResourceDao<Patient> patients = daos.getResourceDao(Patient.class);
    List<String> ids = patients.search(query, new SystemRequestDetails()).getAllResources().stream()
        .map(resource -> "Patient/" + resource.getIdElement().getIdPart()).toList();
    return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
  }

  /** The id a new patient of this Patient ID and issuer gets (the same every time). */
  String newPatientId(String patientId, String issuer) {
    return "dicom-" + UUID.nameUUIDFromBytes((patientIdSystem(issuer) + "|" + patientId).getBytes(StandardCharsets.UTF_8));
  }

  /** The id a new ImagingStudy of this study UID gets (the same every time). */
  static String newStudyId(String studyUid) {
    return "dicom-" + UUID.nameUUIDFromBytes(("study|" + studyUid).getBytes(StandardCharsets.UTF_8));
  }

  /** Creates the patient from the instance's patient module. */
  void createPatient(String patientRef, KeyAttributes keys, InstanceAttributes attributes) {
    Patient patient = new Patient();
    patient.setId(patientRef.substring("Patient/".length()));
    patient.addIdentifier().setSystem(patientIdSystem(keys.issuerOfPatientId())).setValue(keys.patientId());
    String name = keys.patientName();
    if (name != null) {
      String[] parts = name.split("=", -1)[0].split("\\^", -1);
      HumanName human = patient.addName().setFamily(parts[0].isEmpty() ? null : parts[0]);
      if (parts.length > 1 && !parts[1].isEmpty()) {
        human.addGiven(parts[1]);
      }
    }
    String sex = attributes.get(DicomTags.PATIENT_SEX);
    patient.setGender("M".equals(sex) ? Enumerations.AdministrativeGender.MALE
        : "F".equals(sex) ? Enumerations.AdministrativeGender.FEMALE
        : "O".equals(sex) ? Enumerations.AdministrativeGender.OTHER : Enumerations.AdministrativeGender.UNKNOWN);
    String birth = attributes.get(DicomTags.PATIENT_BIRTH_DATE);
    if (birth != null && birth.matches("\\d{8}")) {
      patient.setBirthDateElement(new DateType(birth.substring(0, 4) + "-" + birth.substring(4, 6) + "-" + birth.substring(6)));
    }
    daos.getResourceDao(Patient.class).update(patient, new SystemRequestDetails());
  }

  /**
   * A new ImagingStudy for a study seen for the first time: identifier, subject, started and
   * modality from its first instance, so the access decision and the profile have what they need.
   */
  ImagingStudy newStudy(String studyUid, String patientRef, KeyAttributes keys) {
    ImagingStudy study = new ImagingStudy();
    study.setId(newStudyId(studyUid));
    study.addIdentifier().setSystem(DICOM_UID_SYSTEM).setValue("urn:oid:" + studyUid);
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.setSubject(new Reference(patientRef));
    study.setStartedElement(started(keys.studyDate(), keys.studyTime()));
    if (keys.modality() != null) {
      study.addModality(new Coding(DCM, keys.modality(), null));
    }
    return study;
  }

  /**
   * The ImagingStudy of {@code study} as the index now has it: series, instances, modalities and
   * counts from the index, keeping what else the resource says (description, procedure, body sites,
   * endpoints), and the DICOMweb Endpoint. Writes it (and the Endpoint, if missing).
   */
  void update(ImagingStudy study, StudyIndex index, String studyUid) {
    Map<String, ImagingStudySeriesComponent> before = new LinkedHashMap<>();
    for (ImagingStudySeriesComponent series : study.getSeries()) {
      before.put(series.getUid(), series);
    }
    List<StudyIndex.Instance> instances = index.instances(studyUid, null, null);
    List<ImagingStudySeriesComponent> after = new ArrayList<>();
    List<Coding> modalities = new ArrayList<>();
    for (StudyIndex.Series indexed : index.series(studyUid)) {
      ImagingStudySeriesComponent series = before.getOrDefault(indexed.seriesUid(), new ImagingStudySeriesComponent());
      series.setUid(indexed.seriesUid());
      if (indexed.number() != null) {
        series.setNumber(indexed.number());
      }
      if (indexed.modality() != null) {
        series.setModality(new Coding(DCM, indexed.modality(), series.getModality().getDisplay()));
        if (modalities.stream().noneMatch(c -> c.getCode().equals(indexed.modality()))) {
          modalities.add(new Coding(DCM, indexed.modality(), null));
        }
      }
      if (!series.hasDescription() && indexed.description() != null) {
        series.setDescription(indexed.description());
      }
      // entries the resource already has for a stored instance are kept as they are (displays
      // included), so linking images to a study that already lists them changes nothing
      Map<String, ImagingStudy.ImagingStudySeriesInstanceComponent> listed = new LinkedHashMap<>();
      for (ImagingStudy.ImagingStudySeriesInstanceComponent entry : series.getInstance()) {
        listed.put(entry.getUid(), entry);
      }
      series.getInstance().clear();
      for (StudyIndex.Instance instance : instances) {
        if (instance.seriesUid().equals(indexed.seriesUid())) {
          ImagingStudy.ImagingStudySeriesInstanceComponent entry = listed.get(instance.sopInstanceUid());
          String sopClass = "urn:oid:" + instance.sopClassUid();
          if (entry == null || !sopClass.equals(entry.getSopClass().getCode())) {
            entry = new ImagingStudy.ImagingStudySeriesInstanceComponent()
                .setUid(instance.sopInstanceUid())
                .setSopClass(new Coding("urn:ietf:rfc:3986", sopClass, null));
          }
          if (instance.instanceNumber() != null) {
            entry.setNumber(instance.instanceNumber());
          }
          series.addInstance(entry);
        }
      }
      series.setNumberOfInstances(series.getInstance().size());
      after.add(series);
    }
    study.setSeries(after);
    if (!modalities.isEmpty()) {
      for (Coding existing : study.getModality()) {
        modalities.stream().filter(c -> c.getCode().equals(existing.getCode())).forEach(c -> c.setDisplay(existing.getDisplay()));
      }
      study.setModality(modalities);
    }
    study.setNumberOfSeries(after.size());
    study.setNumberOfInstances(instances.size());
    if (!study.hasStarted()) {
      InstanceAttributes attributes = index.studyAttributes(studyUid);
      study.setStartedElement(started(attributes.get(DicomTags.STUDY_DATE), attributes.get(DicomTags.STUDY_TIME)));
    }
    if (!study.hasEndpoint()) {
      study.addEndpoint(new Reference("Endpoint/" + endpointId()));
    }
    studies().update(study, new SystemRequestDetails());
  }

  /**
   * The Endpoint of this server's DICOMweb: an active {@code dicom-wado-rs} Endpoint whose address is
   * the DICOMweb base (the demo's {@code imaging-centre-wado}, say), else {@code custodian-dicomweb},
   * created on first use.
   */
  private String endpointId() {
    IFhirResourceDao<Endpoint> endpoints = daos.getResourceDao(Endpoint.class);
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add("connection-type", new TokenParam("dicom-wado-rs"));
    Optional<String> existing = endpoints.search(query, new SystemRequestDetails()).getAllResources().stream()
        .map(Endpoint.class::cast)
        .filter(e -> e.getStatus() == Endpoint.EndpointStatus.ACTIVE && dicomwebBase.equals(e.getAddress()))
        .map(e -> e.getIdElement().getIdPart()).sorted().findFirst();
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      endpoints.read(new IdType("Endpoint", ENDPOINT_ID), new SystemRequestDetails());
      return ENDPOINT_ID;
    } catch (ResourceNotFoundException | ResourceGoneException missing) {
      // created below
    }
    Endpoint endpoint = new Endpoint();
    endpoint.setId(ENDPOINT_ID);
    endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
    endpoint.setConnectionType(new Coding(
        "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "dicom-wado-rs", "DICOM WADO-RS"));
    endpoint.setName("Custodian DICOMweb (WADO-RS)");
    endpoint.addPayloadType().addCoding(
        new Coding("http://terminology.hl7.org/CodeSystem/endpoint-payload-type", "DICOM", "DICOM"));
    endpoint.addPayloadMimeType("application/dicom");
    endpoint.setAddress(dicomwebBase);
    endpoints.update(endpoint, new SystemRequestDetails());
    return ENDPOINT_ID;
  }

  /**
   * FHIR {@code started} from DICOM Study Date and Time; the time, which DICOM gives without a zone,
   * is taken as UTC. Null without a valid date.
   */
  static DateTimeType started(String date, String time) {
    if (date == null || !date.matches("\\d{8}")) {
      return null;
    }
    String day = date.substring(0, 4) + "-" + date.substring(4, 6) + "-" + date.substring(6);
    if (time != null && time.matches("\\d{6}(\\.\\d+)?")) {
      return new DateTimeType(day + "T" + time.substring(0, 2) + ":" + time.substring(2, 4) + ":" + time.substring(4, 6) + "Z");
    }
    if (time != null && time.matches("\\d{4}")) {
      return new DateTimeType(day + "T" + time.substring(0, 2) + ":" + time.substring(2, 4) + ":00Z");
    }
    return new DateTimeType(day);
  }

  @SuppressWarnings("unchecked")
  private IFhirResourceDao<ImagingStudy> studies() {
    return daos.getResourceDao(ImagingStudy.class);
  }
}
