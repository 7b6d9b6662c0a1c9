package dev.custodian.server.policy;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.policy.enforce.ReferenceGuard;
import dev.custodian.policy.enforce.WriteGuard;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The policy decision point and the enforcement points the server wires around it: the caller of
 * each FHIR request comes from its verified bearer token; reads and searches are judged by the
 * consent service on the FHIR endpoint ({@code FhirEndpointConfig}); writes by the write guard on
 * the storage layer (so every write path is covered; the server's own writes use
 * SystemRequestDetails and are not judged).
 */
@Configuration(proxyBeanMethods = false)
public class PolicyEnforcementConfig {

  @Bean
  public AccessPolicy accessPolicy(DatabasePolicyFacts facts) {
    return AccessPolicy.withDefaults(RequestScopedFacts.around(facts));
  }

  /** Facts are remembered per request on every path to data. */
  @Bean
  public org.springframework.boot.web.servlet.FilterRegistrationBean<RequestScopedFacts.Scope> requestScopedFacts() {
    var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new RequestScopedFacts.Scope());
    registration.addUrlPatterns("/fhir/*", "/dicomweb/*", "/launch/*");
    registration.setName("requestScopedPolicyFacts");
    return registration;
  }

  /** Whose patients staff searches are narrowed to in the database. */
  @Bean
  public dev.custodian.policy.enforce.PatientReach staffPatientReach(
      ca.uhn.fhir.jpa.api.dao.DaoRegistry daos,
      dev.custodian.server.auth.launch.TreatedPatients treated,
      dev.custodian.server.policy.breakglass.BreakGlassGrants grants) {
    return new StaffPatientReach(daos, treated, grants, java.time.Clock.systemUTC());
  }

  /** The caller of a FHIR request: from the JWT Spring Security verified for this request. */
  @Bean
  public CallerResolver callerResolver() {
    CallerFromToken callers = new CallerFromToken();
    return request -> {
      Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
      if (authentication instanceof JwtAuthenticationToken jwt) {
        return callers.caller(jwt.getToken());
      }
      return null;
    };
  }

  /** Registered once, on the storage layer: JPA also calls the endpoint's interceptors for writes. */
  @Bean
  public WriteGuard writeGuard(
      AccessPolicy policy,
      CallerResolver callers,
      IInterceptorService storage) {
    WriteGuard guard = new WriteGuard(policy, callers);
    storage.registerInterceptor(guard);
    return guard;
  }

  /** Writes refer only to records their caller could see; on the storage layer, after the write guard. */
  @Bean
  public ReferenceGuard referenceGuard(
      AccessPolicy policy,
      CallerResolver callers,
      IInterceptorService storage,
      ca.uhn.fhir.jpa.api.dao.DaoRegistry daos) {
    ReferenceGuard guard = new ReferenceGuard(policy, callers, new StoredRecords(daos));
    storage.registerInterceptor(guard);
    return guard;
  }
}
