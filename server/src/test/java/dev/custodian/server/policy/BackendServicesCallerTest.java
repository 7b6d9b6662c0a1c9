package dev.custodian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.scope.Interaction;
import dev.custodian.policy.scope.ScopeContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** Tokens become callers: a backend services token a system caller, and system/ scopes stay its own. */
class BackendServicesCallerTest {

  private final CallerFromToken callers = new CallerFromToken();

  private static Jwt.Builder token() {
    return Jwt.withTokenValue("header.payload.signature")
        .header("alg", "RS256")
        .issuedAt(Instant.now())
        .expiresAt(Instant.now().plusSeconds(300))
        .jti("jti-1");
  }

  @Test
  void aClientCredentialsTokenIsASystemCallerOfItsOrganizationActingForTreatment() {
    Caller caller = callers.caller(token()
        .subject("partner-hospital").audience(List.of("partner-hospital"))
        .claim("client_id", "partner-hospital")
        .claim("roles", List.of("SYSTEM"))
        .claim("organization", "Organization/partner-hospital")
        .claim("scope", List.of("system/ImagingStudy.rs", "user/Patient.rs"))
        .build());

    assertThat(caller.isSystemClient()).isTrue();
    assertThat(caller.fhirUser()).isNull();
    assertThat(caller.roles()).containsExactly(Role.SYSTEM);
    assertThat(caller.organization()).isEqualTo("Organization/partner-hospital");
    assertThat(caller.clientId()).isEqualTo("partner-hospital");
    assertThat(caller.purpose()).isEqualTo(PurposeOfUse.TREAT);
    assertThat(caller.launchPatient()).isNull();
    assertThat(caller.scopes().contexts()).containsExactly(ScopeContext.SYSTEM);
    assertThat(caller.scopes().permits(Interaction.READ, "ImagingStudy")).isTrue();
    assertThat(caller.scopes().permits(Interaction.READ, "Patient")).isFalse();
  }

  @Test
  void aUsersTokenNeverCarriesSystemScopes() {
    Caller caller = callers.caller(token()
        .subject("dr.chen").audience(List.of("some-app"))
        .claim("roles", List.of("CLINICIAN"))
        .claim("fhirUser", "Practitioner/dr.chen")
        .claim("organization", "Organization/imaging-centre")
        .claim("scope", "user/ImagingStudy.rs system/*.rs")
        .build());

    assertThat(caller.isSystemClient()).isFalse();
    assertThat(caller.scopes().contexts()).containsExactly(ScopeContext.USER);
    assertThat(caller.scopes().permits(Interaction.READ, "DiagnosticReport")).isFalse();
  }

  @Test
  void eachTokenHasItsOwnCallerAndARepeatedTokenTheSameOne() {
    Jwt system = Jwt.withTokenValue("a.system.token").header("alg", "RS256").jti("j-1")
        .subject("partner-hospital").audience(List.of("partner-hospital"))
        .claim("roles", List.of("SYSTEM")).claim("organization", "Organization/partner-hospital")
        .claim("scope", List.of("system/ImagingStudy.rs")).build();
    Jwt user = Jwt.withTokenValue("a.user.token").header("alg", "RS256").jti("j-2")
        .subject("chen").audience(List.of("ehr-app")).claim("fhirUser", "Practitioner/dr.chen")
        .claim("roles", List.of("CLINICIAN")).claim("scope", List.of("user/ImagingStudy.rs")).build();

    Caller first = callers.caller(system);
    assertThat(callers.caller(user).fhirUser()).isEqualTo("Practitioner/dr.chen");
    assertThat(callers.caller(user).isSystemClient()).isFalse();
    assertThat(callers.caller(system)).isSameAs(first).isEqualTo(new CallerFromToken().caller(system));
  }
}
