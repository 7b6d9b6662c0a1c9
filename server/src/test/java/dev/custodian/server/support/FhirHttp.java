package dev.custodian.server.support;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/** Plain HTTP against the running server's FHIR endpoint, as any client would call it. */
public final class FhirHttp {

  public static final String FHIR_JSON = "application/fhir+json";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final FhirContext fhir;
  private final String bearer;

  public FhirHttp(int port, FhirContext fhir) {
    this(port, fhir, null);
  }

  private FhirHttp(int port, FhirContext fhir, String bearer) {
    this.base = "http://localhost:" + port + "/fhir/";
    this.fhir = fhir;
    this.bearer = bearer;
    this.port = port;
  }

  private final int port;

  /** The same client, sending {@code Authorization: Bearer <token>} (or none for null). */
  public FhirHttp withBearer(String token) {
    return new FhirHttp(port, fhir, token);
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).header("Accept", FHIR_JSON).GET());
  }

  public Response post(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .header("Accept", FHIR_JSON)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response put(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .header("Accept", FHIR_JSON)
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response create(IBaseResource resource) {
    return post(fhir.getResourceType(resource), FHIR_JSON, json(resource));
  }

  public Response update(IBaseResource resource) {
    return put(
        fhir.getResourceType(resource) + "/" + resource.getIdElement().getIdPart(),
        FHIR_JSON,
        json(resource));
  }

  /** A POST whose body is streamed without a Content-Length (chunked transfer encoding). */
  public Response postChunked(String path, String contentType, byte[] body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .header("Accept", FHIR_JSON)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
  }

  public String json(IBaseResource resource) {
    return fhir.newJsonParser().encodeResourceToString(resource);
  }

  public Response send(HttpRequest.Builder request) {
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      HttpResponse<String> response =
          client.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.body(), response, fhir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    String url = path.startsWith("http") ? path : base + path;
    return URI.create(url.replace("|", "%7C").replace(" ", "%20"));
  }

  /** A response with helpers to read its FHIR body. */
  public record Response(int status, String body, HttpResponse<String> raw, FhirContext fhir) {

    public <T extends IBaseResource> T resource(Class<T> type) {
      return fhir.newJsonParser().parseResource(type, body);
    }

    public Bundle bundle() {
      return resource(Bundle.class);
    }

    public OperationOutcome outcome() {
      return resource(OperationOutcome.class);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
    }
  }
}
