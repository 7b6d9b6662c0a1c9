package dev.custodian.server.fhir.batch;

import ca.uhn.fhir.util.UrlUtil;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One batch entry as the HTTP request it stands for: the entry's method, URL, body and conditional
 * headers, on the batch's connection (same client address, same bearer token, same request id), so
 * that the FHIR endpoint handles it exactly as it would the single request.
 */
final class EntryRequest extends HttpServletRequestWrapper {

  /** Headers of the batch request that describe its body or its answer, not the entry's. */
  private static final Set<String> NOT_INHERITED = Set.of(
      "content-type", "content-length", "content-encoding", "transfer-encoding", "accept", "accept-encoding",
      "if-match", "if-none-match", "if-none-exist", "if-modified-since", "prefer");

  private final String method;
  private final String path;
  private final String query;
  private final byte[] body;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /**
   * @param batch the batch request
   * @param method the entry's HTTP method
   * @param url the entry's relative URL ({@code Type/id}, {@code Type?params})
   * @param body the entry's body, or null
   * @param contentType the body's media type, or null
   * @param entryHeaders the entry's own headers (If-Match, ...), by name
   */
  EntryRequest(HttpServletRequest batch, String method, String url, byte[] body, String contentType,
      Map<String, String> entryHeaders) {
    super(batch);
    this.method = method;
    int question = url.indexOf('?');
    String relative = question < 0 ? url : url.substring(0, question);
    this.path = relative.startsWith("/") ? relative.substring(1) : relative;
    this.query = question < 0 ? null : url.substring(question + 1);
    this.body = body == null ? new byte[0] : body;
    for (String name : Collections.list(batch.getHeaderNames())) {
      if (!NOT_INHERITED.contains(name.toLowerCase(Locale.ROOT))) {
        headers.put(name, Collections.list(batch.getHeaders(name)));
      }
    }
    headers.put("Accept", List.of("application/fhir+json"));
    if (contentType != null) {
      headers.put("Content-Type", List.of(contentType));
    }
    entryHeaders.forEach((name, value) -> headers.put(name, List.of(value)));
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public String getPathInfo() {
    return "/" + path;
  }

  @Override
  public String getRequestURI() {
    return getContextPath() + getServletPath() + "/" + path;
  }

  @Override
  public StringBuffer getRequestURL() {
    StringBuffer batchUrl = super.getRequestURL();
    String batchUri = super.getRequestURI();
    String origin = batchUrl.substring(0, batchUrl.length() - batchUri.length());
    return new StringBuffer(origin).append(getRequestURI());
  }

  @Override
  public String getQueryString() {
    return query;
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return query == null ? Map.of() : UrlUtil.parseQueryString(query);
  }

  @Override
  public String getParameter(String name) {
    String[] values = getParameterMap().get(name);
    return values == null || values.length == 0 ? null : values[0];
  }

  @Override
  public String[] getParameterValues(String name) {
    return getParameterMap().get(name);
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return Collections.enumeration(getParameterMap().keySet());
  }

  @Override
  public String getHeader(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return Collections.enumeration(headers.getOrDefault(name, List.of()));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    return Collections.enumeration(new ArrayList<>(new LinkedHashSet<>(headers.keySet())));
  }

  @Override
  public String getContentType() {
    return getHeader("Content-Type");
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }

  @Override
  public String getCharacterEncoding() {
    return StandardCharsets.UTF_8.name();
  }

  @Override
  public ServletInputStream getInputStream() {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] buffer, int offset, int length) {
        return in.read(buffer, offset, length);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new UnsupportedOperationException("blocking only");
      }
    };
  }

  @Override
  public BufferedReader getReader() {
    return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
  }
}
