package dev.custodian.server.sharing;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.custodian.audit.AccessedResource;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.ShareLinkHolders;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;

/**
 * What a redeemed link shows: each shared study (description, date, modality, body part, its DICOM
 * Study Instance UID) and report (title, date, conclusion, plain-text report), each read as the
 * server and released only if the policy permits the link's holder to read it.
 */
class SharedRecords {

  record Study(String reference, String studyUid, String description, String started, String modalities, String bodyParts) {}

  record Report(String reference, String title, String date, String conclusion, String text) {}

  /** What is shown, and the policy's decision on each of the link's records (for the audit trail). */
  record Contents(List<Study> studies, List<Report> reports, List<AccessedResource> decided) {}

  private final DaoRegistry daos;
  private final AccessPolicy policy;

  SharedRecords(DaoRegistry daos, AccessPolicy policy) {
    this.daos = daos;
    this.policy = policy;
  }

  Contents of(ShareLink link) {
    Caller holder = ShareLinkHolders.holder(link.id().toString());
    List<Study> studies = new ArrayList<>();
    List<Report> reports = new ArrayList<>();
    List<AccessedResource> decided = new ArrayList<>();
    for (String reference : link.data()) {
      IBaseResource resource = read(reference);
      if (resource == null) {
        continue;
      }
      Decision decision = policy.decide(holder, Action.READ, resource);
      decided.add(AccessedResource.of(reference, decision, link.patient()));
      if (!decision.isPermitted()) {
        continue;
      }
      if (resource instanceof ImagingStudy study) {
        studies.add(study(reference, study));
      } else if (resource instanceof DiagnosticReport report) {
        reports.add(report(reference, report));
      }
    }
    return new Contents(studies, reports, decided);
  }

  private static Study study(String reference, ImagingStudy study) {
    Set<String> modalities = new LinkedHashSet<>();
    study.getModality().forEach(m -> modalities.add(m.getCode()));
    Set<String> bodyParts = new LinkedHashSet<>();
    study.getSeries().forEach(s -> {
      if (s.hasBodySite()) {
        bodyParts.add(s.getBodySite().hasDisplay() ? s.getBodySite().getDisplay() : s.getBodySite().getCode());
      }
    });
    String uid = study.getIdentifier().stream()
        .filter(i -> "urn:dicom:uid".equals(i.getSystem()))
        .map(i -> i.getValue().replaceFirst("^urn:oid:", ""))
        .findFirst().orElse(null);
    return new Study(reference, uid, study.getDescription(),
        study.hasStarted() ? study.getStartedElement().getValueAsString() : null,
        String.join(", ", modalities), String.join(", ", bodyParts));
  }

  private static Report report(String reference, DiagnosticReport report) {
    StringBuilder text = new StringBuilder();
    for (Attachment form : report.getPresentedForm()) {
      if (form.hasData() && form.getContentType() != null && form.getContentType().startsWith("text/plain")) {
        text.append(new String(form.getData(), StandardCharsets.UTF_8));
      }
    }
    String title = report.getCode().hasText() ? report.getCode().getText()
        : report.getCode().getCodingFirstRep().getDisplay();
    String date = report.hasEffectiveDateTimeType() ? report.getEffectiveDateTimeType().getValueAsString()
        : report.hasIssued() ? report.getIssuedElement().getValueAsString() : null;
    return new Report(reference, title, date, report.getConclusion(), text.isEmpty() ? null : text.toString());
  }

  private IBaseResource read(String reference) {
    IdType id = new IdType(reference);
    try {
      return daos.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
    } catch (BaseServerResponseException gone) {
      return null;
    }
  }
}
