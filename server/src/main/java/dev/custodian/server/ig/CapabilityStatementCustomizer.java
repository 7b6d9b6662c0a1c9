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

  private final String version;

  public CapabilityStatementCustomizer(String version) {
    this.version = version;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void customize(IBaseConformance generated) {
    CapabilityStatement statement = (CapabilityStatement) generated;
    statement.setPublisher("Custodian");
    statement.getSoftware().setName("Custodian").setVersion(version);
    statement.getInstantiates().clear();
    statement.addInstantiates(CustodianProfiles.CAPABILITY_STATEMENT);
    for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
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
}
