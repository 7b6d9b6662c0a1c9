package dev.custodian.policy.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.policy.scope.ScopeSet;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CallerTest {

  private static Caller.Builder patient() {
    return Caller.builder().fhirUser("Patient/alice").clientId("app").roles(Role.PATIENT)
        .scopes("patient/*.rs").launchPatient("alice").purpose(PurposeOfUse.PATRQT).tokenId("jti-1");
  }

  private static Caller.Builder clinician() {
    return Caller.builder().fhirUser("Practitioner/dr.chen").clientId("ehr").roles(Role.CLINICIAN)
        .scopes("user/*.rs").purpose(PurposeOfUse.TREAT).tokenId("jti-2");
  }

  @Test
  void aValidPatient() {
    Caller caller = patient().build();

    assertThat(caller.has(Role.PATIENT)).isTrue();
    assertThat(caller.has(Role.CLINICIAN)).isFalse();
    assertThat(caller.fhirUserType()).isEqualTo("Patient");
    assertThat(caller.launchPatientReference()).isEqualTo("Patient/alice");
    assertThat(caller.isSystemClient()).isFalse();
    assertThat(caller.scopes()).isEqualTo(ScopeSet.parse("patient/*.rs"));
  }

  @Test
  void rolesAreCopiedAndUnmodifiable() {
    EnumSet<Role> roles = EnumSet.of(Role.CLINICIAN);
    Caller caller = new Caller("Practitioner/x", "ehr", roles, null, ScopeSet.empty(), null,
        PurposeOfUse.TREAT, null, "jti");
    roles.add(Role.AUDITOR);

    assertThat(caller.roles()).containsExactly(Role.CLINICIAN);
    assertThatThrownBy(() -> caller.roles().add(Role.AUDITOR)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aPatientNeedsAPatientFhirUser() {
    assertThatThrownBy(() -> patient().fhirUser("Practitioner/dr.chen").launchPatient(null).build())
        .hasMessageContaining("PATIENT needs a fhirUser of type [Patient]");
    assertThatThrownBy(() -> patient().fhirUser(null).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPatientsLaunchPatientIsThemselves() {
    assertThatThrownBy(() -> patient().launchPatient("bruno").build())
        .hasMessageContaining("launch patient must be themselves");
  }

  @Test
  void patientsActAtTheirOwnRequest() {
    assertThatThrownBy(() -> patient().purpose(PurposeOfUse.TREAT).build()).hasMessageContaining("PATRQT");
  }

  @Test
  void aRepresentativeIsARelatedPerson() {
    assertThatThrownBy(() -> Caller.builder().fhirUser("Patient/alice").clientId("app").roles(Role.REPRESENTATIVE)
            .purpose(PurposeOfUse.PATRQT).tokenId("t").build())
        .hasMessageContaining("RelatedPerson");
  }

  @Test
  void aClinicianIsAPractitionerOrRole() {
    assertThat(clinician().fhirUser("PractitionerRole/r1").build().fhirUserType()).isEqualTo("PractitionerRole");
    assertThatThrownBy(() -> clinician().fhirUser("RelatedPerson/x").build()).hasMessageContaining("CLINICIAN");
  }

  @ParameterizedTest
  @EnumSource(value = Role.class, names = {"SYSTEM", "BUSINESS_ASSOCIATE"})
  void aSystemClientHasAnOrganizationAndNoUser(Role role) {
    Caller ok = Caller.builder().clientId("c").roles(role).organization("Organization/o")
        .scopes("system/*.rs").purpose(PurposeOfUse.TREAT).tokenId("t").build();
    assertThat(ok.isSystemClient()).isTrue();

    assertThatThrownBy(() -> Caller.builder().clientId("c").roles(role).purpose(PurposeOfUse.TREAT).tokenId("t").build())
        .hasMessageContaining("organization");
    assertThatThrownBy(() -> Caller.builder().clientId("c").roles(role).organization("Organization/o")
            .fhirUser("Practitioner/x").purpose(PurposeOfUse.TREAT).tokenId("t").build())
        .hasMessageContaining("no fhirUser");
    assertThatThrownBy(() -> Caller.builder().clientId("c").roles(role, Role.CLINICIAN).organization("Organization/o")
            .purpose(PurposeOfUse.TREAT).tokenId("t").build())
        .hasMessageContaining("cannot also hold a user role");
  }

  @Test
  void userRolesNeedAFhirUser() {
    assertThatThrownBy(() -> Caller.builder().clientId("c").roles(Role.AUDITOR).purpose(PurposeOfUse.HOPERAT)
            .tokenId("t").build())
        .hasMessageContaining("needs a fhirUser");
  }

  @Test
  void healthPlanStaffBelongToThePayor() {
    assertThatThrownBy(() -> Caller.builder().fhirUser("Person/p").clientId("c").roles(Role.HEALTH_PLAN)
            .purpose(PurposeOfUse.HPAYMT).tokenId("t").build())
        .hasMessageContaining("payor organization");
  }

  @ParameterizedTest
  @EnumSource(value = PurposeOfUse.class, names = {"ETREAT", "BTG", "PUBHLTH", "HLEGAL"})
  void justifiedPurposesNeedAWrittenReason(PurposeOfUse purpose) {
    assertThatThrownBy(() -> clinician().purpose(purpose).build()).hasMessageContaining("written reason");
    assertThatThrownBy(() -> clinician().purpose(purpose).breakGlassReason("too short").build())
        .hasMessageContaining("at least 10");
    assertThat(clinician().purpose(purpose).breakGlassReason("  unconscious, no ID  ").build().breakGlassReason())
        .isEqualTo("unconscious, no ID");
  }

  @ParameterizedTest
  @EnumSource(value = PurposeOfUse.class, names = {"TREAT", "HPAYMT", "HOPERAT"})
  void otherPurposesCarryNoReason(PurposeOfUse purpose) {
    assertThatThrownBy(() -> clinician().purpose(purpose).breakGlassReason("some long reason here").build())
        .hasMessageContaining("only given with");
  }

  @Test
  void referencesAreChecked() {
    assertThatThrownBy(() -> clinician().fhirUser("http://x/Practitioner/1").build()).hasMessageContaining("fhirUser");
    assertThatThrownBy(() -> clinician().fhirUser("Device/d1").build()).hasMessageContaining("fhirUser");
    assertThatThrownBy(() -> clinician().organization("Practitioner/x").build()).hasMessageContaining("organization");
    assertThatThrownBy(() -> clinician().launchPatient("Patient/alice").build()).hasMessageContaining("launchPatient");
  }

  @Test
  void requiredFields() {
    assertThatThrownBy(() -> clinician().clientId(" ").build()).hasMessageContaining("clientId");
    assertThatThrownBy(() -> clinician().tokenId(null).build()).hasMessageContaining("tokenId");
    assertThatThrownBy(() -> clinician().purpose(null).build()).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> clinician().scopes((ScopeSet) null).build()).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aCallerWithNoRoleIsAllowed() {
    Caller anyone = new Caller("Person/p", "app", Set.of(), null, ScopeSet.empty(), null, PurposeOfUse.PATRQT, null, "t");
    assertThat(anyone.roles()).isEmpty();
  }
}
