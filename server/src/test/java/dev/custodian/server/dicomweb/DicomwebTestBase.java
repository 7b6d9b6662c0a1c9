package dev.custodian.server.dicomweb;

import static org.assertj.core.api.Assumptions.assumeThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import dev.custodian.server.support.TestClients;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Assertions;

/**
 * DICOMweb tests: the shared server, DICOMweb clients carrying a demo user's token, the pydicom
 * corpus (required unless {@code -Dcustodian.dicom.corpus=optional}) and patients whose Patient ID
 * matches corpus files, treated by dr.chen so that he may store their studies.
 */
abstract class DicomwebTestBase extends ServerTestBase {

  static final String MRN = "https://custodian.dev/fhir/sid/mrn";
  /** UIDs of corpus files: CT_small.dcm (Patient ID 1CT1), MR_small*.dcm (4MR1), JPEG2000.dcm (8NM1). */
  static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
  static final String CT_SERIES = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";
  static final String CT_SOP = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
  static final String MR_STUDY = "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457";
  static final String MR_SOP = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";
  static final String NM_STUDY = "1.3.6.1.4.1.5962.1.2.8.20040826185059.5457";
  static final String STAFF_SCOPES = "openid fhirUser user/*.cruds";
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

  /** DICOMweb as a demo user with these scopes (tokens reused within the JVM). */
  DicomwebHttp dicomweb(String username, String scopes) {
    return new DicomwebHttp(baseUrl(), token(username, scopes));
  }

  /** A demo user's access token with these scopes (reused within the JVM). */
  String token(String username, String scopes) {
    return TOKENS.computeIfAbsent(username + " " + scopes,
        k -> TestClients.accessToken(context, baseUrl(), username, scopes));
  }

  DicomwebHttp drChen() {
    return dicomweb("dr.chen", STAFF_SCOPES);
  }

  DicomwebHttp anonymous() {
    return new DicomwebHttp(baseUrl(), null);
  }

  /** The audit events (as auditor audit.gray sees them) that carry this request id. */
  List<String> auditEventsOf(String requestId) {
    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    Bundle events = auditor.get("AuditEvent?_count=200&_sort=-date").bundle();
    return events.getEntry().stream()
        .map(entry -> fhirContext.newJsonParser().encodeResourceToString(entry.getResource()))
        .filter(json -> json.contains(requestId)).toList();
  }

  /** The study UID of a demo ImagingStudy (its urn:dicom:uid identifier). */
  String demoStudyUid(String id) {
    ImagingStudy study = daos.getResourceDao(ImagingStudy.class)
        .read(new IdType("ImagingStudy", id), new SystemRequestDetails());
    return study.getIdentifierFirstRep().getValue().replaceFirst("^urn:oid:", "");
  }

  /** Skips (optional corpus) or fails (required) when the pydicom corpus is not installed. */
  static void requireCorpus() {
    boolean present = Files.isRegularFile(DicomwebHttp.CORPUS.resolve("CT_small.dcm"));
    if ("optional".equals(System.getProperty("custodian.dicom.corpus"))) {
      assumeThat(present).as("pydicom corpus (apt-get install python3-pydicom)").isTrue();
    } else if (!present) {
      Assertions.fail("the pydicom corpus is missing: apt-get install python3-pydicom");
    }
  }

  /**
   * A patient with DICOM Patient ID {@code patientId} (MRN system, as for an instance without
   * issuer) treated by dr.chen; idempotent.
   */
  String corpusPatient(String fhirId, String patientId) {
    fixtures.patientTreatedByDrChen(fhirId);
    Patient patient = new Patient();
    patient.setId(fhirId);
    patient.addName().setFamily("Fixture").addGiven(fhirId);
    patient.addIdentifier(new Identifier().setSystem(MRN).setValue(patientId));
    fixtures.store(patient);
    return "Patient/" + fhirId;
  }
}
