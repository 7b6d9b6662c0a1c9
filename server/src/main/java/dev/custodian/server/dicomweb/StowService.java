package dev.custodian.server.dicomweb;

import dev.custodian.audit.AccessedResource;
import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.model.KeyAttributes;
import dev.custodian.dicom.multipart.MultipartParseException;
import dev.custodian.dicom.multipart.MultipartRelatedReader;
import dev.custodian.dicom.multipart.Part;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.server.storage.EncryptedBlobs;
import dev.custodian.server.storage.StoredBlob;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STOW-RS: stores the instances of a {@code multipart/related; type="application/dicom"} body, one
 * part at a time. For each part: the header up to the Series Instance UID names the study; the
 * policy decides (once per study and request) whether the caller may write its ImagingStudy; then
 * the part streams through our parser into the study's encrypted blob — a part that is not
 * well-formed DICOM stores nothing — and the instance is indexed. Finally each study's
 * ImagingStudy is created or updated. Storing an instance again replaces it (idempotent).
 */
class StowService {

  private static final Logger log = LoggerFactory.getLogger(StowService.class);
  private static final Pattern UID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

  private final AccessPolicy policy;
  private final StudyIndex index;
  private final ImagingStudyLink link;
  private final EncryptedBlobs blobs;
  private final Clock clock;

  StowService(AccessPolicy policy, StudyIndex index, ImagingStudyLink link, EncryptedBlobs blobs, Clock clock) {
    this.policy = policy;
    this.index = index;
    this.link = link;
    this.blobs = blobs;
    this.clock = clock;
  }

  static boolean isUid(String value) {
    return value != null && value.length() <= 64 && UID.matcher(value).matches();
  }

  /** One study written by this request. */
  private static final class StudyWrite {
    StudyIndex.Study study;
    ImagingStudy resource;
    Decision decision;
    String refusal;
    String newPatient;
    KeyAttributes firstKeys;
    InstanceAttributes firstAttributes;
    EncryptedBlobs.StudyBlobs blobs;
    final List<String> stored = new ArrayList<>();
    /** The instances of {@link #stored} that were not there before this request. */
    final List<String> added = new ArrayList<>();
  }

  /**
   * Stores every part of {@code parts}.
   *
   * @param requiredStudyUid the study of the request URL, or null
   * @param caller the caller: the policy decides on each study
   * @param retrieveBase the DICOMweb base URL for RetrieveURLs
   * @throws MultipartParseException the body is not multipart at all (nothing was stored)
   */
  StowResult store(MultipartRelatedReader parts, String requiredStudyUid, Caller caller, String retrieveBase,
      DicomwebAudit.Entry audit) throws IOException {
    StowResult result = new StowResult(requiredStudyUid == null ? null : retrieveBase + "/studies/" + requiredStudyUid);
    Map<String, StudyWrite> studies = new LinkedHashMap<>();
    try {
      while (true) {
        Part part;
        try {
          part = parts.next();
        } catch (MultipartParseException broken) {
          if (result.isEmpty()) {
            throw broken;
          }
          result.failed(null, null, StowFailure.CANNOT_UNDERSTAND, "the multipart body broke off: " + broken.getMessage());
          break;
        }
        if (part == null) {
          break;
        }
        storePart(part.headers().contentType(), part.body(), requiredStudyUid, caller, retrieveBase, studies, result);
      }
    } catch (IOException | RuntimeException failed) {
      // the body could not be read to its end (too large, the client went away): keep nothing new
      forgetAdded(studies);
      throw failed;
    }
    for (StudyWrite write : studies.values()) {
      if (write.decision != null) {
        audit.touched(AccessedResource.of(write.study.imagingStudyReference(), write.decision, write.study.patientRef()));
      }
    }
    linkStudies(studies, result);
    return result;
  }

  /**
   * Stores instances on the server's own behalf (the demo images): the same path, without a caller
   * or a policy decision, as the demo loader writes its records.
   */
  StowResult storeAsServer(List<byte[]> instances, String retrieveBase) throws IOException {
    StowResult result = new StowResult(null);
    Map<String, StudyWrite> studies = new LinkedHashMap<>();
    for (byte[] instance : instances) {
      storePart(null, new java.io.ByteArrayInputStream(instance), null, null, retrieveBase, studies, result);
    }
    linkStudies(studies, result);
    return result;
  }

  private void linkStudies(Map<String, StudyWrite> studies, StowResult result) {
    for (StudyWrite write : studies.values()) {
      if (!write.stored.isEmpty()) {
        linkStudy(write, result);
      }
    }
  }

  private void storePart(String type, java.io.InputStream body, String requiredStudyUid, Caller caller,
      String retrieveBase, Map<String, StudyWrite> studies, StowResult result) throws IOException {
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/dicom")) {
      result.failed(null, null, StowFailure.CANNOT_UNDERSTAND, "a part of type " + type + ", not application/dicom");
      return;
    }
    HeaderPrefix header;
    try {
      header = HeaderPrefix.read(body);
    } catch (DicomParseException notDicom) {
      result.failed(null, null, StowFailure.CANNOT_UNDERSTAND, "not DICOM Part 10: " + notDicom.getMessage());
      return;
    }
    KeyAttributes keys = header.keys();
    String sopClass = isUid(keys.sopClassUid()) ? keys.sopClassUid() : null;
    String sop = isUid(keys.sopInstanceUid()) ? keys.sopInstanceUid() : null;
    if (sopClass == null || sop == null || !isUid(keys.studyInstanceUid()) || !isUid(keys.seriesInstanceUid())) {
      result.failed(sopClass, sop, StowFailure.DATA_SET_MISMATCH,
          "SOP Class, SOP Instance, Study Instance or Series Instance UID missing or malformed");
      return;
    }
    String studyUid = keys.studyInstanceUid();
    if (requiredStudyUid != null && !requiredStudyUid.equals(studyUid)) {
      result.failed(sopClass, sop, StowFailure.DATA_SET_MISMATCH,
          "its Study Instance UID is not the study of the request URL");
      return;
    }
    Optional<String> storedUnder = index.studyOfInstance(sop);
    if (storedUnder.isPresent() && !storedUnder.get().equals(studyUid)) {
      result.failed(sopClass, sop, StowFailure.DATA_SET_MISMATCH, "this SOP Instance UID is stored in another study");
      return;
    }
    Optional<String> seriesOfStudy = index.studyOfSeries(keys.seriesInstanceUid());
    if (seriesOfStudy.isPresent() && !seriesOfStudy.get().equals(studyUid)) {
      result.failed(sopClass, sop, StowFailure.DATA_SET_MISMATCH, "this Series Instance UID belongs to another study");
      return;
    }
    StudyWrite write = studies.computeIfAbsent(studyUid, uid -> new StudyWrite());
    if (write.study == null && write.refusal == null) {
      prepare(write, studyUid, keys, caller);
    }
    if (write.refusal != null) {
      result.failed(sopClass, sop, write.decision != null && !write.decision.isPermitted()
          ? StowFailure.NOT_AUTHORIZED : StowFailure.DATA_SET_MISMATCH, write.refusal);
      return;
    }
    InstanceAttributes[] scanned = new InstanceAttributes[1];
    StoredBlob blob;
    try {
      if (write.blobs == null) {
        write.blobs = blobs.forWriting(studyUid);
      }
      blob = write.blobs.store(sop, out -> {
        TeeInputStream tee = new TeeInputStream(header.whole(), out);
        scanned[0] = InstanceScanner.scan(tee);
        tee.drain();
      });
    } catch (DicomParseException | MultipartParseException broken) {
      result.failed(sopClass, sop, StowFailure.CANNOT_UNDERSTAND, "not well-formed DICOM: " + broken.getMessage());
      return;
    }
    InstanceAttributes attributes = scanned[0];
    if (!sop.equals(attributes.get(DicomTags.SOP_INSTANCE_UID))) {
      // cannot happen with the same bytes; refuse rather than index what was not read
      result.failed(sopClass, sop, StowFailure.CANNOT_UNDERSTAND, "the instance read differently the second time");
      return;
    }
    if (write.firstAttributes == null) {
      write.firstAttributes = attributes;
    }
    index.record(write.study, attributes, blob, clock.instant());
    write.stored.add(sop);
    if (storedUnder.isEmpty()) {
      write.added.add(sop);
    }
    result.stored(sopClass, sop, retrieveBase + "/studies/" + studyUid + "/series/" + keys.seriesInstanceUid()
        + "/instances/" + sop);
  }

  /** Finds or plans the study's ImagingStudy and patient, and asks the policy. */
  private void prepare(StudyWrite write, String studyUid, KeyAttributes keys, Caller caller) {
    Optional<StudyIndex.Study> indexed = index.study(studyUid);
    Optional<ImagingStudy> existing = indexed.isPresent()
        ? link.read(indexed.get().imagingStudyId()) : link.findByUid(studyUid);
    if (existing.isPresent()) {
      ImagingStudy stored = existing.get();
      String patientRef = stored.getSubject().getReference();
      write.study = new StudyIndex.Study(studyUid, stored.getIdElement().getIdPart(), patientRef);
      write.resource = stored;
      write.decision = caller == null ? null : policy.decide(caller, Action.UPDATE, stored);
    } else {
      if (keys.patientId() == null) {
        write.refusal = "a new study needs a Patient ID";
        return;
      }
      if (ImagingStudyLink.started(keys.studyDate(), keys.studyTime()) == null || keys.modality() == null) {
        write.refusal = "a new study needs a Study Date and a Modality";
        return;
      }
      Optional<String> patient = link.findPatient(keys.patientId(), keys.issuerOfPatientId());
      String patientRef = patient.orElseGet(() -> "Patient/" + link.newPatientId(keys.patientId(), keys.issuerOfPatientId()));
      if (patient.isEmpty()) {
        write.newPatient = patientRef;
        write.firstKeys = keys;
      }
      ImagingStudy created = link.newStudy(studyUid, patientRef, keys);
      write.study = new StudyIndex.Study(studyUid, created.getIdElement().getIdPart(), patientRef);
      write.resource = created;
      write.decision = caller == null ? null : policy.decide(caller, Action.CREATE, created);
    }
    if (write.decision != null && !write.decision.isPermitted()) {
      write.refusal = "the policy does not let the caller store into this study";
      write.study = indexed.orElse(write.study);
    }
  }

  /**
   * Forgets and deletes the instances a request added before it failed, so that a request that
   * could not be read to its end leaves nothing of its own behind (instances it stored again stay:
   * they were there before). The studies are not linked yet, so no FHIR resource names them.
   */
  private void forgetAdded(Map<String, StudyWrite> studies) {
    for (StudyWrite write : studies.values()) {
      if (write.added.isEmpty()) {
        continue;
      }
      index.forget(write.study.studyUid(), write.added);
      for (String sop : write.added) {
        try {
          blobs.delete(write.study.studyUid(), sop);
        } catch (IOException | RuntimeException e) {
          log.warn("Could not delete the blob of {} after its STOW-RS request failed: {}", sop, e.toString());
        }
      }
    }
  }

  /** Creates the patient if new, then creates or updates the ImagingStudy; on failure unstores. */
  private void linkStudy(StudyWrite write, StowResult result) {
    try {
      if (write.newPatient != null && link.findPatient(write.firstKeys.patientId(), write.firstKeys.issuerOfPatientId()).isEmpty()) {
        link.createPatient(write.newPatient, write.firstKeys, write.firstAttributes);
      }
      ImagingStudy current = link.read(write.study.imagingStudyId()).orElse(write.resource);
      link.update(current, index, write.study.studyUid());
    } catch (RuntimeException failure) {
      log.warn("ImagingStudy of DICOM study {} could not be written; its new instances are not kept: {}",
          write.study.studyUid(), failure.toString());
      index.forget(write.study.studyUid(), write.stored);
      for (String sop : write.stored) {
        try {
          blobs.delete(write.study.studyUid(), sop);
        } catch (IOException | RuntimeException ignored) {
          // an unindexed blob is unreachable; the next store of the instance replaces it
        }
      }
      result.unstore(write.stored, StowFailure.PROCESSING_FAILURE, "its ImagingStudy could not be written");
    }
  }
}
