package dev.custodian.server.dicomweb;

import dev.custodian.audit.AccessedResource;
import dev.custodian.policy.caller.Caller;
import dev.custodian.server.storage.EncryptedBlobs;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * DICOMweb for a caller that did not come with a bearer token (a share link's holder): the same
 * read-only QIDO-RS and WADO-RS as {@code /dicomweb}, decided by the same policy on each study and
 * audited the same way, answering with URLs under a base of the caller's; and a study's stored
 * instances one by one, for a download.
 */
public final class CallerScopedDicomweb {

  private final DicomwebServlet dicomweb;
  private final StudyIndex index;
  private final StudyAccess access;
  private final EncryptedBlobs blobs;

  CallerScopedDicomweb(DicomwebServlet dicomweb, StudyIndex index, StudyAccess access, EncryptedBlobs blobs) {
    this.dicomweb = dicomweb;
    this.index = index;
    this.access = access;
    this.blobs = blobs;
  }

  /** Serves {@code pathInfo} ({@code /studies/...}) for {@code caller}; STOW-RS is refused (405). */
  public void serve(Caller caller, String pathInfo, String base, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    dicomweb.handle(caller, pathInfo, base, true, request, response);
  }

  /** One stored instance of a study: where it sits in the study and how to read it (decrypted, streamed). */
  public record StoredInstance(String seriesUid, String sopInstanceUid, long size, Opener opener) {
    public InputStream open() throws IOException {
      return opener.open();
    }
  }

  /** Opens one instance's stored bytes. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * The images of an ImagingStudy as the policy decided for {@code caller} ((RETRIEVE_DICOM)):
   * the decision for the audit trail, and the instances when permitted (empty when denied).
   *
   * @return empty when the ImagingStudy has no stored instances
   */
  public Optional<StudyImages> images(Caller caller, String imagingStudyId) throws IOException {
    Optional<String> studyUid = index.studyUidOf(imagingStudyId);
    if (studyUid.isEmpty()) {
      return Optional.empty();
    }
    Optional<StudyAccess.Judged> judged = access.retrieve(caller, studyUid.get());
    if (judged.isEmpty()) {
      return Optional.empty();
    }
    if (!judged.get().permitted()) {
      return Optional.of(new StudyImages(studyUid.get(), judged.get().audited(), List.of()));
    }
    EncryptedBlobs.StudyBlobs study = blobs.forReading(studyUid.get());
    List<StoredInstance> instances = index.instances(studyUid.get(), null, null).stream()
        .map(i -> new StoredInstance(i.seriesUid(), i.sopInstanceUid(), i.size(), () -> study.open(i.blobKey())))
        .toList();
    return Optional.of(new StudyImages(studyUid.get(), judged.get().audited(), instances));
  }

  /** A study's instances (none when the decision denied them) and the decision as audited. */
  public record StudyImages(String studyUid, AccessedResource audited, List<StoredInstance> instances) {
    public boolean permitted() {
      return audited.released();
    }
  }
}
