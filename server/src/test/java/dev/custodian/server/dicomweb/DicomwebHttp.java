package dev.custodian.server.dicomweb;

import dev.custodian.dicom.multipart.MultipartRelatedWriter;
import dev.custodian.server.support.HttpAnswer;
import dev.custodian.server.support.PlainHttp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** DICOMweb over plain HTTP with a bearer token (or none), as any DICOMweb client would call it. */
final class DicomwebHttp {

  static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  private final PlainHttp http = new PlainHttp();
  private final String base;
  private final String token;
  private final String requestId;

  DicomwebHttp(String base, String token) {
    this(base, token, null);
  }

  private DicomwebHttp(String base, String token, String requestId) {
    this.base = base;
    this.token = token;
    this.requestId = requestId;
  }

  /** The same client, sending {@code X-Request-ID: id} (to find the request in the audit trail). */
  DicomwebHttp withRequestId(String id) {
    return new DicomwebHttp(base, token, id);
  }

  static byte[] corpus(String name) {
    try {
      return Files.readAllBytes(CORPUS.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A STOW-RS request of these Part 10 objects, to /studies or /studies/{study}. */
  HttpAnswer stow(String study, byte[]... instances) {
    return stow(study, false, instances);
  }

  /** As {@link #stow(String, byte[]...)}; {@code chunked}: without a Content-Length. */
  HttpAnswer stow(String study, boolean chunked, byte[]... instances) {
    String boundary = MultipartRelatedWriter.newBoundary();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (MultipartRelatedWriter writer = new MultipartRelatedWriter(body, boundary)) {
      for (byte[] instance : instances) {
        writer.writePart(Map.of("Content-Type", "application/dicom"), instance);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String type = MultipartRelatedWriter.contentType("application/dicom", boundary);
    String path = "studies" + (study == null ? "" : "/" + study);
    if (!chunked) {
      return post(path, type, body.toByteArray());
    }
    byte[] bytes = body.toByteArray();
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", type).header("Accept", "application/dicom+json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
  }

  HttpAnswer post(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
        .header("Accept", "application/dicom+json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  HttpAnswer get(String path, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    return send(request);
  }

  HttpAnswer qido(String path) {
    return get(path, "application/dicom+json");
  }

  HttpAnswer wado(String path) {
    return get(path, "multipart/related; type=\"application/dicom\"");
  }

  private URI uri(String path) {
    return URI.create(base + "/dicomweb/" + path);
  }

  private HttpAnswer send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (requestId != null) {
      request.header("X-Request-ID", requestId);
    }
    return http.send(request);
  }
}
