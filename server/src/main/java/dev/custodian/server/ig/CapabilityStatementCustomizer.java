package dev.custodian.server.ig;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;

/**
 * Makes {@code /fhir/metadata} say what Custodian is: the software's name and version, the
 * implementation guide's CapabilityStatement it instantiates, and the profile each enforced resource
 * type must meet.
 */
@Interceptor
public class CapabilityStatementCustomizer {

  static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

  private final String version;
  private final String issuer;

  public CapabilityStatementCustomizer(String version, String issuer) {
    this.version = version;
    this.issuer = issuer;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void customize(IBaseConformance generated) {
    CapabilityStatement statement = (CapabilityStatement) generated;
    statement.setPublisher("Custodian");
    statement.getSoftware().setName("Custodian").setVersion(version);
    statement.getInstantiates().clear();
    statement.addInstantiates(CustodianProfiles.CAPABILITY_STATEMENT);
    for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
      smartSecurity(rest);
      for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
        String profile = CustodianProfiles.ENFORCED.get(resource.getType());
        if (profile != null) {
          resource.setProfile(profile);
          if (resource.getSupportedProfile().stream()
              .map(CanonicalType::getValue)
              .noneMatch(profile::equals)) {
            resource.addSupportedProfile(profile);
          }
        }
      }
    }
  }

  /** The SMART security extension: the same endpoints as /fhir/.well-known/smart-configuration. */
  private void smartSecurity(CapabilityStatement.CapabilityStatementRestComponent rest) {
    CapabilityStatement.CapabilityStatementRestSecurityComponent security = new CapabilityStatement.CapabilityStatementRestSecurityComponent();
    security.addService(new org.hl7.fhir.r4.model.CodeableConcept(new org.hl7.fhir.r4.model.Coding(
        "http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")));
    security.setDescription("OAuth 2.0 bearer tokens from this server's SMART on FHIR authorization server.");
    org.hl7.fhir.r4.model.Extension uris = security.addExtension().setUrl(OAUTH_URIS);
    uris.addExtension("authorize", new org.hl7.fhir.r4.model.UriType(issuer + "/oauth2/authorize"));
    uris.addExtension("token", new org.hl7.fhir.r4.model.UriType(issuer + "/oauth2/token"));
    uris.addExtension("introspect", new org.hl7.fhir.r4.model.UriType(issuer + "/oauth2/introspect"));
    uris.addExtension("revoke", new org.hl7.fhir.r4.model.UriType(issuer + "/oauth2/revoke"));
    rest.setSecurity(security);
  }
}
