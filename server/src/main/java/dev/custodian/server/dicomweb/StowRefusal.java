package dev.custodian.server.dicomweb;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A STOW-RS request over the size limit, answered so that the client sees the 413 rather than a
 * reset connection. Closing a connection whose request body is still arriving makes TCP reset it,
 * and a reset can destroy an answer the client has not read yet; so the answer is sent at once and
 * the connection closed only after the client had a chance to read it:
 *
 * <ul>
 *   <li>a client that asked {@code Expect: 100-continue} (curl does for large bodies) is still
 *       waiting for the go-ahead — Tomcat sends it only when the body is first read, see {@link
 *       DicomwebConfig} — so it gets the 413 without sending a byte of its body;
 *   <li>any other client gets the 413 at once, and the rest of its body is read and dropped (never
 *       stored), up to {@code custodian.dicomweb.stow-refusal-drain} bytes: a client that reads the
 *       answer while sending stops and closes, and one that sends its whole body first reads the 413
 *       afterwards. Past that much, the connection is closed.
 * </ul>
 *
 * (Tomcat's own swallowing of unread bodies, {@code maxSwallowSize}, happens before an unflushed
 * answer is sent and closes the connection when exceeded, losing the answer; hence this.)
 */
final class StowRefusal {

  private final long drainBytes;

  StowRefusal(long drainBytes) {
    this.drainBytes = drainBytes;
  }

  /** Writes the 413 with its length and {@code Connection: close}; not sent yet. */
  static int answer(HttpServletResponse response, long maxStowBytes) throws IOException {
    byte[] message = ("The STOW-RS request is larger than this server accepts (" + maxStowBytes
        + " bytes); nothing of it was stored.\n").getBytes(StandardCharsets.UTF_8);
    response.setStatus(413);
    response.setHeader("Connection", "close");
    response.setContentType("text/plain;charset=UTF-8");
    response.setContentLength(message.length);
    response.getOutputStream().write(message);
    return 413;
  }

  /** Sends the answer written by {@link #answer}, then drops what the client still sends (see above). */
  void finish(HttpServletRequest request, HttpServletResponse response) {
    try {
      response.flushBuffer();
      if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
        return; // reading now would ask the client for the body it is holding back
      }
      InputStream rest = request.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      long left = drainBytes;
      for (int n = 0; left > 0 && n >= 0; left -= Math.max(n, 0)) {
        n = rest.read(buffer, 0, (int) Math.min(buffer.length, left));
      }
    } catch (IOException clientGone) {
      // the client closed after reading the answer (or before): nothing more to do
    }
  }
}
