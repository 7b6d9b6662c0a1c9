package dev.custodian.server.fhir;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} over the JPA DAOs, with the
 * interceptors that every request passes through.
 *
 * <p>Deliberately not registered: the terminology uploader, subscription triggering, GraphQL and bulk
 * import/export providers. Each is a path to data that must go through the policy decision point
 * (and get a leak test) before it is offered.
 */
@Configuration(proxyBeanMethods = false)
public class FhirEndpointConfig {

  public static final String FHIR_PATH = "/fhir";

  /** The endpoint every client uses: the access policy and the audit trail always on. */
  @Bean
  public RestfulServer fhirRestfulServer(FhirServerAssembly assembly) {
    return assembly.assemble(FhirServerAssembly.Safeguards.ALL);
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServletRegistration(RestfulServer server) {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, FHIR_PATH + "/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }

  @Bean
  public FilterRegistrationBean<RequestSizeLimitFilter> fhirRequestSizeLimit(
      FhirProperties properties, RestfulServer server) {
    FilterRegistrationBean<RequestSizeLimitFilter> registration =
        new FilterRegistrationBean<>(
            new RequestSizeLimitFilter(properties.maxRequestBytes(), server.getFhirContext()));
    registration.addUrlPatterns(FHIR_PATH + "/*");
    registration.setName("fhirRequestSizeLimit");
    return registration;
  }
}
