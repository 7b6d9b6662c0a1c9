package dev.custodian.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.dicom.multipart.MultipartRelatedReader;
import dev.custodian.dicom.multipart.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A response read whole, as bytes, with helpers for the bodies the tests check (text, JSON, multipart). */
public record HttpAnswer(int status, byte[] body, Map<String, List<String>> headers) {

  public HttpAnswer(HttpResponse<byte[]> response) {
    this(response.statusCode(), response.body(), response.headers().map());
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public JsonNode json() {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text(), e);
    }
  }

  /** The first value of header {@code name} (any case), or null. */
  public String header(String name) {
    return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty())
        .map(h -> h.getValue().get(0)).findFirst().orElse(null);
  }

  /** The parts of a multipart/related body. */
  public List<byte[]> parts() {
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
