package dev.custodian.server.requests;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.policy.resource.References;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The records a request for copies can name — a patient's ImagingStudies and DiagnosticReports —
 * read as the server; the operations ask the policy about each before using it.
 */
public class PatientRecords {

  static final Set<String> TYPES = Set.of("ImagingStudy", "DiagnosticReport");
  private static final String CT = "CT";

  private final DaoRegistry daos;

  public PatientRecords(DaoRegistry daos) {
    this.daos = daos;
  }

  /** The study or report {@code reference} ({@code ImagingStudy/x}), if it exists. */
  public Optional<Resource> find(String reference) {
    if (reference == null || !References.isReference(reference) || !TYPES.contains(References.typeOf(reference))) {
      return Optional.empty();
    }
    IdType id = new IdType(reference);
    try {
      return Optional.of((Resource) daos.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails()));
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return Optional.empty();
    }
  }

  /** The patient's CT studies. */
  public List<ImagingStudy> ctStudies(String patient) {
    return daos.getResourceDao(ImagingStudy.class)
        .search(SearchParameterMap.newSynchronous().add(ImagingStudy.SP_SUBJECT, new ReferenceParam(patient)),
            new SystemRequestDetails())
        .getAllResources().stream()
        .map(ImagingStudy.class::cast)
        .filter(study -> study.getModality().stream().anyMatch(m -> CT.equals(m.getCode())))
        .toList();
  }

  /** The patient's reports on {@code study} ({@code ImagingStudy/x}). */
  public List<DiagnosticReport> reportsOn(String patient, String study) {
    return daos.getResourceDao(DiagnosticReport.class)
        .search(SearchParameterMap.newSynchronous().add(DiagnosticReport.SP_SUBJECT, new ReferenceParam(patient)),
            new SystemRequestDetails())
        .getAllResources().stream()
        .map(DiagnosticReport.class::cast)
        .filter(report -> report.getImagingStudy().stream().anyMatch(r -> study.equals(versionless(r.getReference()))))
        .toList();
  }

  /** The subject of a study or report, versionless. */
  static String subject(Resource record) {
    Reference subject = record instanceof ImagingStudy study ? study.getSubject()
        : record instanceof DiagnosticReport report ? report.getSubject() : null;
    return subject == null ? null : versionless(subject.getReference());
  }

  static String reference(Resource resource) {
    return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
  }

  static String versionless(String reference) {
    return reference == null ? null : new IdType(reference).toUnqualifiedVersionless().getValue();
  }
}
