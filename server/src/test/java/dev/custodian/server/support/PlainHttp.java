package dev.custodian.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Plain HTTP to the running server, answers read whole ({@link HttpAnswer}): for the endpoints that
 * are not FHIR (DICOMweb, share links).
 */
public final class PlainHttp {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public HttpAnswer get(String url, String accept) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    return send(request);
  }

  public HttpAnswer send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      return new HttpAnswer(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
