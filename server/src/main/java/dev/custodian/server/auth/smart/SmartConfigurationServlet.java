package dev.custodian.server.auth.smart;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves {@code /fhir/.well-known/smart-configuration}. A servlet of its own on that exact path,
 * because everything else under {@code /fhir/} belongs to HAPI's servlet.
 */
public class SmartConfigurationServlet extends HttpServlet {

  public static final String PATH = "/fhir/.well-known/smart-configuration";

  private final byte[] body;

  public SmartConfigurationServlet(String issuer, ObjectMapper json) throws IOException {
    this.body = json.writeValueAsBytes(SmartConfiguration.document(issuer));
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "public, max-age=3600");
    response.getOutputStream().write(body);
  }
}
