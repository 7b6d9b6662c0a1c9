package dev.custodian.server.dicomweb;

import dev.custodian.audit.AccessedResource;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import java.util.Optional;
import org.hl7.fhir.r4.model.ImagingStudy;

/**
 * Asks the one policy decision point about a DICOM study, through its ImagingStudy: DICOMweb follows
 * exactly the FHIR rules. Reading images (QIDO-RS and WADO-RS alike) is {@link Action#RETRIEVE_DICOM},
 * which the policy never grants under a minimum-necessary projection (a health plan gets no
 * DICOMweb at all); a QIDO-RS match must also be one the caller could find by a FHIR search.
 */
class StudyAccess {

  /** A study the caller asked about, the ImagingStudy decided on and the decision. */
  record Judged(StudyIndex.Study study, ImagingStudy resource, Decision decision) {
    boolean permitted() {
      return decision.isPermitted();
    }

    /** The study as the audit trail records it. */
    AccessedResource audited() {
      return AccessedResource.of(study.imagingStudyReference(), decision, study.patientRef());
    }
  }

  private final AccessPolicy policy;
  private final StudyIndex index;
  private final ImagingStudyLink link;

  StudyAccess(AccessPolicy policy, StudyIndex index, ImagingStudyLink link) {
    this.policy = policy;
    this.index = index;
    this.link = link;
  }

  /**
   * The decision about retrieving this study's images (WADO-RS), or empty when there is no such
   * study (no instance stored, or its ImagingStudy is gone): the caller gets the same 404 either way.
   */
  Optional<Judged> retrieve(Caller caller, String studyUid) {
    return judge(caller, studyUid, false);
  }

  /** The decision about listing the study in a QIDO-RS result. */
  Optional<Judged> search(Caller caller, String studyUid) {
    return judge(caller, studyUid, true);
  }

  private Optional<Judged> judge(Caller caller, String studyUid, boolean search) {
    Optional<StudyIndex.Study> study = index.study(studyUid);
    if (study.isEmpty()) {
      return Optional.empty();
    }
    Optional<ImagingStudy> resource = link.read(study.get().imagingStudyId());
    if (resource.isEmpty()) {
      return Optional.empty();
    }
    Decision decision = policy.decide(caller, Action.RETRIEVE_DICOM, resource.get());
    if (search && decision.isPermitted()) {
      Decision found = policy.decide(caller, Action.SEARCH, resource.get());
      if (!found.isPermitted()) {
        decision = found;
      }
    }
    return Optional.of(new Judged(study.get(), resource.get(), decision));
  }
}
