package dev.custodian.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses FHIR request bodies over a size limit with 413 and an OperationOutcome.
 *
 * <p>A declared {@code Content-Length} over the limit is refused before anything is read. A body
 * without one (chunked) is counted as HAPI reads it; crossing the limit throws HAPI's {@link
 * PayloadTooLargeException}, which HAPI turns into the same 413 before anything is stored.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

  private final long maxBytes;
  private final FhirContext fhirContext;

  public RequestSizeLimitFilter(long maxBytes, FhirContext fhirContext) {
    this.maxBytes = maxBytes;
    this.fhirContext = fhirContext;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      refuse(response);
      return;
    }
    chain.doFilter(new LimitedRequest(request, maxBytes, this::message), response);
  }

  private String message() {
    return "The request body is larger than this server accepts (" + maxBytes + " bytes).";
  }

  private void refuse(HttpServletResponse response) throws IOException {
    response.setHeader("Connection", "close");
    OperationOutcomeResponse.write(response, fhirContext, 413, OperationOutcome.IssueType.TOOLONG, message());
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final long maxBytes;
    private final java.util.function.Supplier<String> message;
    private ServletInputStream stream;

    LimitedRequest(
        HttpServletRequest request, long maxBytes, java.util.function.Supplier<String> message) {
      super(request);
      this.maxBytes = maxBytes;
      this.message = message;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CountingStream(super.getInputStream(), maxBytes, message);
      }
      return stream;
    }
  }

  private static final class CountingStream extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long maxBytes;
    private final java.util.function.Supplier<String> message;
    private long count;

    CountingStream(
        ServletInputStream delegate, long maxBytes, java.util.function.Supplier<String> message) {
      this.delegate = delegate;
      this.maxBytes = maxBytes;
      this.message = message;
    }

    private void add(long n) {
      count += n;
      if (count > maxBytes) {
        throw new PayloadTooLargeException(message.get());
      }
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
