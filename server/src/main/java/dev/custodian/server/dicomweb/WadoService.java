package dev.custodian.server.dicomweb;

import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.model.Dataset;
import dev.custodian.dicom.model.DicomElement;
import dev.custodian.dicom.model.DicomFile;
import dev.custodian.dicom.json.DicomJsonWriter;
import dev.custodian.dicom.json.JsonWriterOptions;
import dev.custodian.dicom.multipart.MultipartRelatedWriter;
import dev.custodian.dicom.parse.DicomEvent;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.parse.ReaderOptions;
import dev.custodian.server.storage.EncryptedBlobs;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * WADO-RS: instances as {@code multipart/related; type="application/dicom"}, metadata as DICOM JSON
 * and bulk data, streamed out of the encrypted blob store one instance at a time (decrypted as
 * they stream; never a whole study, nor a whole instance, in memory). An instance's first 64 KiB
 * segment is read — and so authenticated — before anything of it is sent, so a blob tampered at
 * its start fails before the response begins; a later bad segment breaks the response off (no
 * closing boundary) rather than sending bytes that were not stored.
 */
class WadoService {

  static final long BULK_THRESHOLD = 1024;
  private static final int FIRST_SEGMENT = 64 * 1024;

  private final EncryptedBlobs blobs;

  WadoService(EncryptedBlobs blobs) {
    this.blobs = blobs;
  }

  /** The instances, in order, as one multipart/related body of Part 10 objects byte-identical to those stored. */
  void instances(String studyUid, List<StudyIndex.Instance> instances, HttpServletResponse response) throws IOException {
    EncryptedBlobs.StudyBlobs study = blobs.forReading(studyUid);
    String boundary = MultipartRelatedWriter.newBoundary();
    byte[] buffer = new byte[FIRST_SEGMENT]; // an instance's first segment, then each next 64 KiB of it
    MultipartRelatedWriter writer = null;
    for (StudyIndex.Instance instance : instances) {
      try (InputStream in = study.open(instance.blobKey())) {
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (writer == null) {
          response.setStatus(200);
          response.setContentType(MultipartRelatedWriter.contentType("application/dicom", boundary));
          writer = new MultipartRelatedWriter(response.getOutputStream(), boundary);
        }
        OutputStream part = writer.beginPart(Map.of(
            "Content-Type", "application/dicom; transfer-syntax=" + instance.transferSyntaxUid(),
            "Content-Location", "instances/" + instance.sopInstanceUid()));
        part.write(buffer, 0, n);
        // 64 KiB at a time rather than transferTo's 8 KiB: about a decrypted segment per read, and
        // fewer, larger writes to the response
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          part.write(buffer, 0, read);
        }
      }
    }
    if (writer != null) {
      writer.finish(); // only after every instance was read to its authenticated end
    }
  }

  /** The instances' metadata: one DICOM JSON data set each, bulk values as BulkDataURIs. */
  void metadata(String studyUid, List<StudyIndex.Instance> instances, String base, HttpServletResponse response)
      throws IOException {
    EncryptedBlobs.StudyBlobs study = blobs.forReading(studyUid);
    DicomJsonWriter json = null;
    String[] currentUrl = new String[1]; // the instance being written, for its BulkDataURIs
    for (StudyIndex.Instance instance : instances) {
      DicomFile file;
      try (InputStream in = study.open(instance.blobKey())) {
        file = DatasetReader.read(in, BULK_THRESHOLD);
      }
      if (json == null) {
        response.setStatus(200);
        response.setContentType("application/dicom+json");
        json = new DicomJsonWriter(new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)),
            JsonWriterOptions.withBulkData(BULK_THRESHOLD, location -> currentUrl[0] + "/bulk/" + location.path()));
        json.beginArray();
      }
      currentUrl[0] = instanceUrl(base, instance);
      json.write(file.dataset());
    }
    if (json != null) {
      json.endArray();
      json.flush();
    }
  }

  /**
   * One bulk value of an instance ({@code path} as in its BulkDataURI) as multipart/related of
   * {@code application/octet-stream}: the value, or each fragment of encapsulated pixel data. False
   * when the path names no bulk value.
   */
  boolean bulk(StudyIndex.Instance instance, String path, HttpServletResponse response) throws IOException {
    EncryptedBlobs.StudyBlobs study = blobs.forReading(instance.studyUid());
    DicomElement element;
    try (InputStream in = study.open(instance.blobKey())) {
      element = resolve(DatasetReader.read(in, BULK_THRESHOLD).dataset(), path);
    }
    if (element == null || !(element.isBulk() || element.isEncapsulated())) {
      return false;
    }
    String boundary = MultipartRelatedWriter.newBoundary();
    try (InputStream in = study.open(instance.blobKey())) {
      DicomStreamReader reader = DicomStreamReader.open(in, ReaderOptions.DEFAULTS, -1);
      MultipartRelatedWriter writer = null;
      boolean inFragments = false;
      for (DicomEvent event = reader.next(); event != DicomEvent.END; event = reader.next()) {
        boolean here = reader.tag() == element.tag() && reader.valueOffset() == element.valueOffset();
        if (event == DicomEvent.ELEMENT && here) {
          writer = begin(writer, boundary, response);
          reader.valueStream().transferTo(writer.beginPart(Map.of("Content-Type", "application/octet-stream")));
          break;
        }
        if (event == DicomEvent.FRAGMENTS_START && here) {
          inFragments = true;
          writer = begin(writer, boundary, response);
        } else if (inFragments && event == DicomEvent.FRAGMENT && reader.index() > 0) {
          reader.valueStream().transferTo(writer.beginPart(Map.of("Content-Type", "application/octet-stream")));
        } else if (inFragments && event == DicomEvent.FRAGMENTS_END) {
          break;
        }
      }
      if (writer == null) {
        return false;
      }
      writer.finish();
      return true;
    }
  }

  private static MultipartRelatedWriter begin(MultipartRelatedWriter writer, String boundary, HttpServletResponse response)
      throws IOException {
    if (writer != null) {
      return writer;
    }
    response.setStatus(200);
    response.setContentType(MultipartRelatedWriter.contentType("application/octet-stream", boundary));
    return new MultipartRelatedWriter(response.getOutputStream(), boundary);
  }

  /** The element at a BulkDataURI path ({@code 7FE00010}, {@code 00540016/0/00181072}), or null. */
  static DicomElement resolve(Dataset dataset, String path) {
    String[] steps = path.split("/");
    Dataset current = dataset;
    DicomElement element = null;
    for (int i = 0; i < steps.length; i++) {
      if (current == null || !steps[i].matches("[0-9A-Fa-f]{8}")) {
        return null;
      }
      element = current.get(Integer.parseUnsignedInt(steps[i], 16));
      if (element == null) {
        return null;
      }
      current = null;
      if (i + 1 < steps.length) {
        if (!element.isSequence() || !steps[++i].matches("\\d{1,6}")) {
          return null;
        }
        int item = Integer.parseInt(steps[i]);
        if (item >= element.items().size()) {
          return null;
        }
        current = element.items().get(item);
      }
    }
    return element;
  }

  static String instanceUrl(String base, StudyIndex.Instance instance) {
    return base + "/studies/" + instance.studyUid() + "/series/" + instance.seriesUid() + "/instances/"
        + instance.sopInstanceUid();
  }
}
