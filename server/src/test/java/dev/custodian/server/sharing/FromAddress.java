package dev.custodian.server.sharing;

import dev.custodian.server.support.HttpAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of its own address: HTTP/1.0 requests over a socket bound to a loopback address such as
 * 127.0.0.23, so the server sees a distinct client. Hand-written because the JDK 17 HttpClient cannot
 * choose its source address; HTTP/1.0 keeps the answers unchunked, read to the end of the connection.
 */
final class FromAddress {

  private final InetAddress address;

  FromAddress(String address) {
    try {
      this.address = InetAddress.getByName(address);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpAnswer get(String url, String accept) {
    return exchange("GET", url, accept, null);
  }

  /** A redemption: a form POST with the PIN, if any. */
  HttpAnswer redeem(String url, String pin, boolean json) {
    return exchange("POST", url, json ? "application/json" : "text/html", pin == null ? "" : "pin=" + pin);
  }

  private HttpAnswer exchange(String method, String url, String accept, String form) {
    URI uri = URI.create(url);
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(address, 0));
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      socket.setSoTimeout(60_000);
      StringBuilder request = new StringBuilder(method + " " + uri.getRawPath() + " HTTP/1.0\r\n")
          .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
          .append("User-Agent: share-link-test/1.0\r\n");
      if (accept != null) {
        request.append("Accept: ").append(accept).append("\r\n");
      }
      byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
      if (form != null) {
        request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(body.length)
            .append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      return parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpAnswer parse(byte[] response) {
    String all = new String(response, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).strip());
    }
    byte[] body = java.util.Arrays.copyOfRange(response, end + 4, response.length);
    return new HttpAnswer(status, body, headers);
  }
}
