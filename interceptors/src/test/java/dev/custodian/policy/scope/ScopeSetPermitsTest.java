package dev.custodian.policy.scope;

import static dev.custodian.policy.scope.Interaction.CREATE;
import static dev.custodian.policy.scope.Interaction.DELETE;
import static dev.custodian.policy.scope.Interaction.READ;
import static dev.custodian.policy.scope.Interaction.SEARCH;
import static dev.custodian.policy.scope.Interaction.UPDATE;
import static dev.custodian.policy.scope.ScopeContext.PATIENT;
import static dev.custodian.policy.scope.ScopeContext.SYSTEM;
import static dev.custodian.policy.scope.ScopeContext.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeSetPermitsTest {

  @Nested
  class Permits {

    /** Each row: scope, the letters of the interactions it must permit on Observation. */
    @ParameterizedTest
    @CsvSource({
      "patient/Observation.read, rs",
      "patient/Observation.write, cud",
      "patient/Observation.*, cruds",
      "patient/Observation.c, c",
      "patient/Observation.r, r",
      "patient/Observation.u, u",
      "patient/Observation.d, d",
      "patient/Observation.s, s",
      "patient/Observation.rs, rs",
      "patient/Observation.cud, cud",
      "patient/*.cruds, cruds",
      "user/*.read, rs",
      "system/*.ds, ds",
    })
    void exactlyTheGrantedInteractions(String scope, String letters) {
      ScopeSet set = ScopeSet.parse(scope);

      for (Interaction interaction : Interaction.values()) {
        boolean expected = letters.indexOf(interaction.letter()) >= 0;
        assertThat(set.permits(interaction, "Observation"))
            .as("%s permits %s on Observation", scope, interaction)
            .isEqualTo(expected);
      }
    }

    @Test
    void onlyTheNamedType() {
      ScopeSet set = ScopeSet.parse("patient/ImagingStudy.rs");

      assertThat(set.permits(READ, "ImagingStudy")).isTrue();
      assertThat(set.permits(READ, "DiagnosticReport")).isFalse();
      assertThat(set.permits(SEARCH, "Patient")).isFalse();
    }

    @Test
    void wildcardReachesEveryOrdinaryType() {
      ScopeSet set = ScopeSet.parse("user/*.rs");

      assertThat(set.permits(READ, "ImagingStudy")).isTrue();
      assertThat(set.permits(SEARCH, "DiagnosticReport")).isTrue();
      assertThat(set.permits(READ, "Consent")).isTrue();
      assertThat(set.permits(READ, "Patient")).isTrue();
      assertThat(set.permits(CREATE, "Patient")).isFalse();
    }

    @Test
    void unknownTypesAndTheWildcardItselfAreNeverPermitted() {
      ScopeSet set = ScopeSet.parse("system/*.cruds");

      assertThat(set.permits(READ, "Foo")).isFalse();
      assertThat(set.permits(READ, "observation")).isFalse();
      assertThat(set.permits(READ, "*")).isFalse();
      assertThat(set.filtersFor(READ, "Foo").isPermitted()).isFalse();
    }

    @Test
    void nonResourceScopesPermitNothing() {
      ScopeSet set = ScopeSet.parse("openid fhirUser profile launch launch/patient launch/encounter offline_access online_access");

      for (Interaction interaction : Interaction.values()) {
        assertThat(set.permits(interaction, "Patient")).isFalse();
      }
      assertThat(set.contexts()).isEmpty();
    }

    @Test
    void emptySetPermitsNothing() {
      assertThat(ScopeSet.empty().permits(READ, "Patient")).isFalse();
      assertThat(ScopeSet.empty().filtersFor(READ, "Patient")).isEqualTo(FilterRequirement.denied());
    }

    @Test
    void nullArgumentsAreProgrammingErrors() {
      ScopeSet set = ScopeSet.parse("patient/*.rs");

      assertThatThrownBy(() -> set.permits(null, "Patient")).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> set.permits(READ, null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  class Contexts {

    @Test
    void permittingContextsNamesEveryContextThatPermits() {
      ScopeSet set = ScopeSet.parse("patient/Observation.rs user/Observation.r system/*.s");

      assertThat(set.permittingContexts(READ, "Observation")).containsExactlyInAnyOrder(PATIENT, USER);
      assertThat(set.permittingContexts(SEARCH, "Observation")).containsExactlyInAnyOrder(PATIENT, SYSTEM);
      assertThat(set.permittingContexts(CREATE, "Observation")).isEmpty();
      assertThat(set.permittingContexts(SEARCH, "ImagingStudy")).containsExactly(SYSTEM);
    }

    @Test
    void permitsInOneContext() {
      ScopeSet set = ScopeSet.parse("patient/Observation.rs user/ImagingStudy.r");

      assertThat(set.permits(PATIENT, READ, "Observation")).isTrue();
      assertThat(set.permits(USER, READ, "Observation")).isFalse();
      assertThat(set.permits(USER, READ, "ImagingStudy")).isTrue();
      assertThat(set.permits(PATIENT, READ, "ImagingStudy")).isFalse();
      assertThat(set.permits(SYSTEM, READ, "ImagingStudy")).isFalse();
    }

    @Test
    void contextsPresent() {
      assertThat(ScopeSet.parse("openid patient/Observation.rs user/*.read").contexts())
          .containsExactlyInAnyOrder(PATIENT, USER);
      assertThat(ScopeSet.parse("system/*.rs").contexts()).containsExactly(SYSTEM);
    }

    @Test
    void patientContextOnly() {
      assertThat(ScopeSet.parse("launch/patient openid patient/*.read patient/Observation.rs")
              .hasPatientContextOnly()).isTrue();
      assertThat(ScopeSet.parse("patient/*.read user/Observation.rs").hasPatientContextOnly()).isFalse();
      assertThat(ScopeSet.parse("user/Observation.rs").hasPatientContextOnly()).isFalse();
      assertThat(ScopeSet.parse("launch/patient openid").hasPatientContextOnly()).isFalse();
      assertThat(ScopeSet.empty().hasPatientContextOnly()).isFalse();
    }
  }

  @Nested
  class BackendServices {

    @ParameterizedTest
    @ValueSource(strings = {"system/*.rs", "system/Patient.rs system/ImagingStudy.read", "system/*.*"})
    void systemOnly(String scopes) {
      ScopeSet set = ScopeSet.parse(scopes);

      assertThat(set.isSystemOnly()).isTrue();
      assertThat(set.requireSystemOnly()).isSameAs(set);
    }

    @ParameterizedTest
    @CsvSource({
      "system/*.rs user/Patient.rs, user/Patient.rs",
      "patient/Patient.rs system/*.rs, patient/Patient.rs",
      "system/*.rs openid, openid",
      "system/*.rs offline_access, offline_access",
      "launch system/Patient.rs, launch",
    })
    void anythingElseIsRejectedByName(String scopes, String offending) {
      ScopeSet set = ScopeSet.parse(scopes);

      assertThat(set.isSystemOnly()).isFalse();
      InvalidScopeException e = catchThrowableOfType(set::requireSystemOnly, InvalidScopeException.class);
      assertThat(e.scope()).isEqualTo(offending);
      assertThat(e.reason()).contains("system/");
    }

    @Test
    void emptyIsNotSystemOnly() {
      assertThat(ScopeSet.empty().isSystemOnly()).isFalse();
      assertThatThrownBy(() -> ScopeSet.empty().requireSystemOnly())
          .isInstanceOf(InvalidScopeException.class)
          .hasMessageContaining("system/ scopes");
    }
  }

  @Nested
  class AuditEventIsExplicitOnly {

    @ParameterizedTest
    @ValueSource(strings = {
      "patient/*.read", "user/*.rs", "system/*.*", "system/*.cruds", "user/*.write",
      "patient/*.read user/*.* system/*.cruds",
      "user/*.rs?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N"
    })
    void wildcardsNeverReachAuditEvent(String scopes) {
      ScopeSet set = ScopeSet.parse(scopes);

      for (Interaction interaction : Interaction.values()) {
        assertThat(set.permits(interaction, "AuditEvent")).as("%s on AuditEvent", interaction).isFalse();
        assertThat(set.permittingContexts(interaction, "AuditEvent")).isEmpty();
        assertThat(set.filtersFor(interaction, "AuditEvent").isPermitted()).isFalse();
      }
      assertThat(set.permits(SEARCH, "Consent") || set.permits(CREATE, "Consent")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ScopeContext.class)
    void anExplicitScopeDoes(ScopeContext context) {
      ScopeSet set = ScopeSet.parse(context.code() + "/AuditEvent.rs");

      assertThat(set.permits(READ, "AuditEvent")).isTrue();
      assertThat(set.permits(SEARCH, "AuditEvent")).isTrue();
      assertThat(set.permits(CREATE, "AuditEvent")).isFalse();
      assertThat(set.permittingContexts(READ, "AuditEvent")).containsExactly(context);
      assertThat(set.filtersFor(SEARCH, "AuditEvent").isUnrestricted()).isTrue();
    }

    @Test
    void explicitAndWildcardTogether() {
      ScopeSet set = ScopeSet.parse("user/*.cruds user/AuditEvent.read");

      assertThat(set.permits(READ, "AuditEvent")).isTrue();
      assertThat(set.permits(DELETE, "AuditEvent")).isFalse();
      assertThat(set.permits(DELETE, "Observation")).isTrue();
    }

    @Test
    void theRuleIsDocumentedAsAConstant() {
      assertThat(ScopeSet.EXPLICIT_ONLY_RESOURCE_TYPES).containsExactly("AuditEvent");
    }
  }

  @Nested
  class Filters {

    private static final String LAB =
        "category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
    private static final String VITALS =
        "category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

    private GranularFilter filter(String scope) {
      return ((ResourceScope) SmartScope.parse(scope)).filter();
    }

    @Test
    void unfilteredScopeGivesUnrestricted() {
      FilterRequirement requirement = ScopeSet.parse("patient/Observation.rs").filtersFor(READ, "Observation");

      assertThat(requirement.kind()).isEqualTo(FilterRequirement.Kind.UNRESTRICTED);
      assertThat(requirement.isPermitted()).isTrue();
      assertThat(requirement.anyOf()).isEmpty();
    }

    @Test
    void oneFilteredScope() {
      FilterRequirement requirement =
          ScopeSet.parse("patient/Observation.rs?" + LAB).filtersFor(SEARCH, "Observation");

      assertThat(requirement.kind()).isEqualTo(FilterRequirement.Kind.FILTERED);
      assertThat(requirement.isPermitted()).isTrue();
      assertThat(requirement.isUnrestricted()).isFalse();
      assertThat(requirement.anyOf()).containsExactly(filter("patient/Observation.rs?" + LAB));
    }

    @Test
    void severalFilteredScopesOrTogether() {
      ScopeSet set = ScopeSet.parse("patient/Observation.rs?" + LAB + " patient/Observation.rs?" + VITALS);

      FilterRequirement requirement = set.filtersFor(READ, "Observation");

      assertThat(requirement.kind()).isEqualTo(FilterRequirement.Kind.FILTERED);
      assertThat(requirement.anyOf()).containsExactlyInAnyOrder(
          filter("patient/Observation.rs?" + LAB), filter("patient/Observation.rs?" + VITALS));
    }

    @Test
    void anUnfilteredScopeMakesTheFiltersMoot() {
      ScopeSet set = ScopeSet.parse(
          "patient/Observation.rs?" + LAB + " patient/Observation.rs?" + VITALS + " patient/Observation.r");

      assertThat(set.filtersFor(READ, "Observation")).isEqualTo(FilterRequirement.unrestricted());
      // search is only through the filtered scopes
      assertThat(set.filtersFor(SEARCH, "Observation").kind()).isEqualTo(FilterRequirement.Kind.FILTERED);
      assertThat(set.filtersFor(SEARCH, "Observation").anyOf()).hasSize(2);
    }

    @Test
    void anUnfilteredWildcardMakesTheFiltersMootToo() {
      ScopeSet set = ScopeSet.parse("patient/Observation.rs?" + LAB + " patient/*.read");

      assertThat(set.filtersFor(SEARCH, "Observation").isUnrestricted()).isTrue();
    }

    @Test
    void filtersOnlyComeFromScopesThatPermitTheInteraction() {
      ScopeSet set = ScopeSet.parse("patient/Observation.cu?" + VITALS + " patient/Observation.rs?" + LAB);

      assertThat(set.filtersFor(CREATE, "Observation").anyOf())
          .containsExactly(filter("patient/Observation.rs?" + VITALS));
      assertThat(set.filtersFor(READ, "Observation").anyOf())
          .containsExactly(filter("patient/Observation.rs?" + LAB));
      assertThat(set.filtersFor(DELETE, "Observation")).isEqualTo(FilterRequirement.denied());
    }

    @Test
    void sameFilterTwiceIsListedOnce() {
      ScopeSet set = ScopeSet.parse("patient/Observation.r?" + LAB + " patient/Observation.rs?" + LAB);

      assertThat(set.filtersFor(READ, "Observation").anyOf()).hasSize(1);
    }

    @Test
    void filtersOfOtherTypesDoNotApply() {
      ScopeSet set = ScopeSet.parse("patient/Observation.rs?" + LAB);

      assertThat(set.filtersFor(READ, "ImagingStudy")).isEqualTo(FilterRequirement.denied());
      assertThat(set.permits(READ, "ImagingStudy")).isFalse();
    }

    @Test
    void perContextFilters() {
      ScopeSet set = ScopeSet.parse("patient/Observation.rs?" + LAB + " user/Observation.rs");

      assertThat(set.filtersFor(READ, "Observation").isUnrestricted()).isTrue();
      assertThat(set.filtersFor(PATIENT, READ, "Observation").anyOf())
          .containsExactly(filter("patient/Observation.rs?" + LAB));
      assertThat(set.filtersFor(USER, READ, "Observation").isUnrestricted()).isTrue();
      assertThat(set.filtersFor(SYSTEM, READ, "Observation").isPermitted()).isFalse();
    }

    @Test
    void filtersDoNotChangeWhetherTheInteractionIsPermitted() {
      ScopeSet set = ScopeSet.parse("patient/Observation.rs?" + LAB);

      assertThat(set.permits(READ, "Observation")).isTrue();
      assertThat(set.permits(UPDATE, "Observation")).isFalse();
    }

    @Test
    void filteredRequirementNeedsFilters() {
      assertThatThrownBy(() -> FilterRequirement.anyOf(java.util.List.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> FilterRequirement.anyOf(java.util.List.of(GranularFilter.NONE)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void contextsAndPermittingContextsAreImmutable() {
    Set<ScopeContext> contexts = ScopeSet.parse("patient/*.rs").contexts();

    assertThatThrownBy(() -> contexts.add(USER)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(contexts).isEqualTo(EnumSet.of(PATIENT));
  }
}
