package dev.custodian.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.ig.CustodianProfiles;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.Map;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

class CapabilityStatementTest extends ServerTestBase {

  @Test
  void metadataListsTheImagingResourcesWithTheirProfiles() {
    FhirHttp.Response response = http.get("metadata");
    assertThat(response.status()).isEqualTo(200);
    CapabilityStatement statement = response.resource(CapabilityStatement.class);

    assertThat(statement.getFhirVersion().toCode()).isEqualTo("4.0.1");
    assertThat(statement.getSoftware().getName()).isEqualTo("Custodian");
    assertThat(statement.getInstantiates())
        .extracting(CanonicalType::getValue)
        .containsExactly(CustodianProfiles.CAPABILITY_STATEMENT);

    Map<String, CapabilityStatementRestResourceComponent> resources =
        statement.getRestFirstRep().getResource().stream()
            .collect(Collectors.toMap(CapabilityStatementRestResourceComponent::getType, r -> r));
    assertThat(resources)
        .containsKeys(
            "ImagingStudy", "DiagnosticReport", "Consent", "AuditEvent", "Patient", "Practitioner",
            "PractitionerRole", "Organization", "CareTeam", "Encounter", "Endpoint", "Task",
            "RelatedPerson", "Coverage", "Observation", "Binary");
    assertThat(resources.get("ImagingStudy").getSupportedProfile())
        .extracting(CanonicalType::getValue)
        .contains(CustodianProfiles.IMAGING_STUDY);
    assertThat(resources.get("DiagnosticReport").getSupportedProfile())
        .extracting(CanonicalType::getValue)
        .contains(CustodianProfiles.IMAGING_DIAGNOSTIC_REPORT);
    assertThat(resources.get("DiagnosticReport").getSearchParam())
        .extracting(p -> p.getName())
        .contains("patient", "code", "category", "date", "status", "result", "imaging-study");
  }

  @Test
  void metadataCarriesTheSmartSecurityExtension() {
    CapabilityStatement statement = http.withBearer(null).get("metadata").resource(CapabilityStatement.class);
    var security = statement.getRestFirstRep().getSecurity();
    assertThat(security.getServiceFirstRep().getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR");
    var uris = security.getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
    assertThat(uris.getExtensionByUrl("authorize").getValue().primitiveValue()).isEqualTo(baseUrl() + "/oauth2/authorize");
    assertThat(uris.getExtensionByUrl("token").getValue().primitiveValue()).isEqualTo(baseUrl() + "/oauth2/token");
    assertThat(uris.getExtensionByUrl("revoke").getValue().primitiveValue()).isEqualTo(baseUrl() + "/oauth2/revoke");
  }

  @Test
  void theImplementationGuideIsInstalledAndServed() {
    FhirHttp.Response response =
        http.get("StructureDefinition?url=" + CustodianProfiles.IMAGING_STUDY);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bundle().getEntry()).hasSize(1);
    StructureDefinition profile =
        (StructureDefinition) response.bundle().getEntryFirstRep().getResource();
    assertThat(profile.getType()).isEqualTo("ImagingStudy");
    assertThat(profile.getBaseDefinition())
        .isEqualTo("http://hl7.org/fhir/StructureDefinition/ImagingStudy");

    assertThat(
            http.get("CapabilityStatement?url=" + CustodianProfiles.CAPABILITY_STATEMENT)
                .bundle()
                .getEntry())
        .hasSize(1);
  }
}
