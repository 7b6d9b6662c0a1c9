package dev.custodian.server.sharing;

import dev.custodian.audit.AccessedResource;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.ShareLinkHolders;
import dev.custodian.server.dicomweb.CallerScopedDicomweb;
import dev.custodian.server.dicomweb.CallerScopedDicomweb.StoredInstance;
import dev.custodian.server.dicomweb.CallerScopedDicomweb.StudyImages;
import dev.custodian.server.storage.BlobIntegrityException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images of a redeemed link as one ZIP: {@code {study}/{series}/{instance}.dcm}, each entry the
 * DICOM file exactly as it was stored, decrypted as it streams from the blob store into the ZIP and
 * out — one instance at a time, never a study in memory. Each study is decided by the policy for the
 * link's holder. The download is audited (what is served) before the first byte of the ZIP; when
 * that record cannot be written, nothing is sent. A failure part-way (a blob failing its integrity
 * check) is audited as a second record and then {@link BrokenOff breaks the response off}: the ZIP is
 * never finished, so the recipient never gets a complete-looking archive with files missing or
 * wrong.
 */
class ShareArchive {

  private static final Logger log = LoggerFactory.getLogger(ShareArchive.class);

  private final CallerScopedDicomweb dicomweb;
  private final ShareLinkEvents events;

  ShareArchive(CallerScopedDicomweb dicomweb, ShareLinkEvents events) {
    this.dicomweb = dicomweb;
    this.events = events;
  }

  void write(ShareLink link, HttpServletRequest request, HttpServletResponse response) throws IOException {
    Caller holder = ShareLinkHolders.holder(link.id().toString());
    List<StudyImages> permitted = new ArrayList<>();
    List<AccessedResource> served = new ArrayList<>();
    for (String study : link.studies()) {
      Optional<StudyImages> images = dicomweb.images(holder, study.substring(study.indexOf('/') + 1));
      if (images.isPresent()) {
        served.add(images.get().audited());
        if (images.get().permitted() && !images.get().instances().isEmpty()) {
          permitted.add(images.get());
        }
      }
    }
    if (permitted.isEmpty()) {
      events.downloaded(link, request, served, "no images to serve");
      response.setStatus(404);
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write("No images are stored for what this link shares.\n");
      return;
    }
    // recorded before the first byte: a ZIP without its central directory still gives up its files,
    // so a download that broke off, or whose record could not be written afterwards, would otherwise
    // have sent images unrecorded
    try {
      events.downloaded(link, request, served, null);
    } catch (RuntimeException notRecorded) {
      log.error("Share link {}: images.zip could not be recorded; nothing is sent", link.id(), notRecorded);
      response.setStatus(500);
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write(ShareController.UNRECORDED + "\n");
      return;
    }
    response.setStatus(200);
    response.setContentType("application/zip");
    response.setHeader("Content-Disposition", "attachment; filename=\"shared-images.zip\"");
    ZipOutputStream zip = new ZipOutputStream(response.getOutputStream());
    zip.setLevel(Deflater.BEST_SPEED);
    try {
      for (StudyImages study : permitted) {
        for (StoredInstance instance : study.instances()) {
          zip.putNextEntry(new ZipEntry(study.studyUid() + "/" + instance.seriesUid() + "/" + instance.sopInstanceUid() + ".dcm"));
          try (InputStream in = instance.open()) {
            in.transferTo(zip);
          }
          zip.closeEntry();
        }
      }
    } catch (IOException | RuntimeException failure) {
      String what = failure instanceof BlobIntegrityException
          ? "a stored image failed its integrity check" : "the images could not be read";
      try {
        events.downloaded(link, request, served, "the download broke off: " + what + " (" + failure.getMessage() + ")");
      } catch (RuntimeException notRecorded) {
        log.error("Share link {}: the failure of images.zip could not be recorded", link.id(), notRecorded);
      }
      log.error("Share link {}: images.zip broken off, {}", link.id(), what);
      throw new BrokenOff(what, failure);
    }
    zip.finish();
    zip.flush();
  }

  /**
   * A download that failed part-way. Thrown out of the controller on purpose, never handled: once the
   * 200 and some of the ZIP have gone out, Tomcat answers an exception by closing the connection at
   * once (no last chunk of the chunked body), so every HTTP client reports the transfer as failed and
   * the ZIP has no central directory. (Before the response started, it becomes a plain 500.)
   */
  static final class BrokenOff extends IOException {
    BrokenOff(String what, Throwable cause) {
      super("share-link download broken off: " + what, cause);
    }
  }
}
