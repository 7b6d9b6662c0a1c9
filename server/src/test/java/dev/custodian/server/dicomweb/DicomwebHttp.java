package dev.custodian.server.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.dicom.multipart.MultipartRelatedReader;
import dev.custodian.dicom.multipart.MultipartRelatedWriter;
import dev.custodian.dicom.multipart.Part;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** DICOMweb over plain HTTP with a bearer token (or none), as any DICOMweb client would call it. */
final class DicomwebHttp {

  static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
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

  record Response(int status, byte[] body, HttpResponse<byte[]> raw) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    /** The parts of a multipart/related body. */
    List<byte[]> parts() {
      try {
        MultipartRelatedReader reader = MultipartRelatedReader.fromContentType(
            new ByteArrayInputStream(body), header("Content-Type"));
        List<byte[]> parts = new ArrayList<>();
        for (Part part = reader.next(); part != null; part = reader.next()) {
          parts.add(part.body().readAllBytes());
        }
        return parts;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return status + " " + (body.length > 2000 ? text().substring(0, 2000) : text());
    }
  }

  static byte[] corpus(String name) {
    try {
      return Files.readAllBytes(CORPUS.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A STOW-RS request of these Part 10 objects, to /studies or /studies/{study}. */
  Response stow(String study, byte[]... instances) {
    return stow(study, false, instances);
  }

  /** As {@link #stow(String, byte[]...)}; {@code chunked}: without a Content-Length. */
  Response stow(String study, boolean chunked, byte[]... instances) {
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

  Response post(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
        .header("Accept", "application/dicom+json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Response get(String path, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    return send(request);
  }

  Response qido(String path) {
    return get(path, "application/dicom+json");
  }

  Response wado(String path) {
    return get(path, "multipart/related; type=\"application/dicom\"");
  }

  private URI uri(String path) {
    return URI.create(base + "/dicomweb/" + path);
  }

  private Response send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (requestId != null) {
      request.header("X-Request-ID", requestId);
    }
    try {
      HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
