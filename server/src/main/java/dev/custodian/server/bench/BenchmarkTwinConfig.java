package dev.custodian.server.bench;

import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import dev.custodian.server.fhir.FhirServerAssembly;
import dev.custodian.server.fhir.FhirServerAssembly.Safeguards;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The benchmarks' twin of the FHIR endpoint, at {@value BenchmarkSwitches#TWIN_PATH}: only when
 * {@code custodian.bench.compare} names a safeguard, and only on a loopback address
 * ({@link BenchmarkSwitches#comparedSafeguard}). It is assembled exactly as {@code /fhir} is, less that
 * one safeguard, and answers beside it in the same JVM, so a benchmark that alternates between the two
 * measures the safeguard's cost and nothing else. (Two server processes, one with the safeguard and
 * one without, differed by up to half their read throughput from run to run here, whichever had the
 * safeguard: the JIT's luck in each process, not the safeguard.) It lies under {@code /fhir}, so it passes the same filters (bearer tokens,
 * request size, request-scoped policy facts) as the endpoint it mirrors.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "custodian.bench", name = "compare")
public class BenchmarkTwinConfig {

  @Bean
  public ServletRegistrationBean<RestfulServer> benchmarkTwinEndpoint(
      FhirServerAssembly assembly, BenchmarkSwitches bench, @Value("${server.address:}") String bindAddress) {
    BenchmarkSwitches.Safeguard left = bench.comparedSafeguard(bindAddress).orElseThrow(
        () -> new IllegalStateException("custodian.bench.compare is audit or policy, not empty"));
    RestfulServer twin = assembly.assemble(new Safeguards(
        left != BenchmarkSwitches.Safeguard.POLICY, left != BenchmarkSwitches.Safeguard.AUDIT));
    twin.setServerAddressStrategy(new IncomingRequestAddressStrategy());
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(twin, BenchmarkSwitches.TWIN_PATH + "/*");
    registration.setName("fhirBenchmarkTwin");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
