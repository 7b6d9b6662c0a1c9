package dev.custodian.policy.enforce;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;

/**
 * A plain HAPI RestfulServer (no database) with in-memory providers, wired as the Custodian server
 * must wire it — ConsentInterceptor(PolicyConsentService), RequestShapeGuard, HiddenAsMissing,
 * WriteGuard — served by an embedded Tomcat over real HTTP. Callers are resolved from the
 * {@value #CALLER_HEADER} header.
 */
final class EnforcedServer implements AutoCloseable {

  static final String CALLER_HEADER = "X-Test-Caller";

  final FhirContext context = FhirContext.forR4Cached();
  final Map<String, TestProvider<?>> providers = new LinkedHashMap<>();
  final RestfulServer server = new RestfulServer(context);
  private final Tomcat tomcat = new Tomcat();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path baseDir;
  final String base;

  EnforcedServer(AccessPolicy policy, Map<String, Caller> callers) throws IOException, LifecycleException {
    new TestProvider<>(context, Patient.class, providers);
    new TestProvider<>(context, ImagingStudy.class, providers)
        .reference("subject", s -> List.of(s.getSubject()))
        .reference("patient", s -> List.of(s.getSubject()))
        .reference("referrer", s -> List.of(s.getReferrer()));
    new TestProvider<>(context, DiagnosticReport.class, providers)
        .reference("subject", r -> List.of(r.getSubject()))
        .reference("patient", r -> List.of(r.getSubject()))
        .reference("imagingStudy", DiagnosticReport::getImagingStudy);
    new TestProvider<>(context, CareTeam.class, providers).reference("patient", c -> List.of(c.getSubject()));
    new TestProvider<>(context, Consent.class, providers).reference("patient", c -> List.of(c.getPatient()));
    new TestProvider<>(context, AuditEvent.class, providers);
    new TestProvider<>(context, Practitioner.class, providers);
    new TestProvider<>(context, Organization.class, providers);
    server.setResourceProviders(List.copyOf(providers.values()));
    server.registerProvider(new LeakyOperations(providers));

    CallerResolver resolver = request -> {
      String name = request.getHeader(CALLER_HEADER);
      return name == null ? null : callers.get(name);
    };
    server.registerInterceptor(new ConsentInterceptor(new PolicyConsentService(policy, resolver)));
    server.registerInterceptor(new RequestShapeGuard());
    server.registerInterceptor(new HiddenAsMissing());
    server.registerInterceptor(new WriteGuard(policy, resolver));

    baseDir = Files.createTempDirectory("custodian-enforce");
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    Context root = tomcat.addContext("", baseDir.toString());
    Tomcat.addServlet(root, "fhir", server);
    root.addServletMappingDecoded("/fhir/*", "fhir");
    tomcat.getConnector();
    tomcat.start();
    base = "http://localhost:" + tomcat.getConnector().getLocalPort() + "/fhir";
  }

  /** Stores {@code resource} under its id as the server itself would (demo data): no caller judged. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void seed(Resource resource) {
    TestProvider provider = providers.get(resource.fhirType());
    provider.update(resource.copy(), null, new SystemRequestDetails(server.getInterceptorService()));
  }

  /** The stored current version of {@code type/id}, straight from the provider (no enforcement). */
  Resource stored(String type, String id) {
    return (Resource) providers.get(type).read(new IdType(type, id), new SystemRequestDetails(), true);
  }

  Response get(String caller, String path) {
    return send(caller, HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Response delete(String caller, String path) {
    return send(caller, HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  Response post(String caller, String path, Resource body) {
    return post(caller, path, context.newJsonParser().encodeResourceToString(body), "application/fhir+json");
  }

  Response post(String caller, String path, String body, String contentType) {
    return send(caller, HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Response put(String caller, String path, Resource body) {
    return send(caller, HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/fhir+json")
        .PUT(HttpRequest.BodyPublishers.ofString(context.newJsonParser().encodeResourceToString(body))));
  }

  Response send(String caller, HttpRequest.Builder builder) {
    builder.header("Accept", "application/fhir+json");
    if (caller != null) {
      builder.header(CALLER_HEADER, caller);
    }
    try {
      HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP answer. */
  record Response(int status, String body) {}

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
