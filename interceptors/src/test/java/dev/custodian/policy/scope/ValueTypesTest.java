package dev.custodian.policy.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ValueTypesTest {

  @Nested
  class Interactions {

    @Test
    void lettersInCanonicalOrder() {
      StringBuilder letters = new StringBuilder();
      for (Interaction interaction : Interaction.values()) {
        letters.append(interaction.letter());
        assertThat(Interaction.fromLetter(interaction.letter())).contains(interaction);
      }
      assertThat(letters.toString()).isEqualTo("cruds");
      assertThat(Interaction.fromLetter('x')).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
      "CREATE, CREATE",
      "READ, READ",
      "VREAD, READ",
      "HISTORY_INSTANCE, READ",
      "UPDATE, UPDATE",
      "PATCH, UPDATE",
      "DELETE, DELETE",
      "SEARCH_TYPE, SEARCH",
      "HISTORY_TYPE, SEARCH",
    })
    void restOperations(RestOperationTypeEnum operation, Interaction expected) {
      assertThat(Interaction.of(operation)).contains(expected);
    }

    @ParameterizedTest
    @EnumSource(value = RestOperationTypeEnum.class, names = {
      "SEARCH_SYSTEM", "HISTORY_SYSTEM", "TRANSACTION", "BATCH", "GET_PAGE", "METADATA",
      "EXTENDED_OPERATION_SERVER", "EXTENDED_OPERATION_TYPE", "EXTENDED_OPERATION_INSTANCE",
      "VALIDATE", "GRAPHQL_REQUEST", "META", "META_ADD", "META_DELETE", "ADD_TAGS", "DELETE_TAGS", "GET_TAGS"
    })
    void operationsNoSingleScopeGoverns(RestOperationTypeEnum operation) {
      assertThat(Interaction.of(operation)).isEmpty();
    }

    @Test
    void nullOperation() {
      assertThat(Interaction.of(null)).isEqualTo(Optional.empty());
    }
  }

  @Nested
  class Contexts {

    @ParameterizedTest
    @CsvSource({"patient, PATIENT", "user, USER", "system, SYSTEM"})
    void codes(String code, ScopeContext context) {
      assertThat(ScopeContext.fromCode(code)).contains(context);
      assertThat(context.code()).isEqualTo(code);
      assertThat(context).hasToString(code);
    }

    @Test
    void caseSensitive() {
      assertThat(ScopeContext.fromCode("Patient")).isEmpty();
      assertThat(ScopeContext.fromCode("launch")).isEmpty();
    }
  }

  @Nested
  class TokenValues {

    @Test
    void forms() {
      assertThat(TokenValue.of("http://loinc.org", "1234-5")).hasToString("http://loinc.org|1234-5");
      assertThat(TokenValue.anySystem("laboratory")).hasToString("laboratory");
      assertThat(TokenValue.noSystem("laboratory")).hasToString("|laboratory");
    }

    @Test
    void matchingBySystemForm() {
      TokenValue inSystem = TokenValue.of("http://s", "x");
      TokenValue anySystem = TokenValue.anySystem("x");
      TokenValue noSystem = TokenValue.noSystem("x");

      assertThat(inSystem.matches("http://s", "x")).isTrue();
      assertThat(inSystem.matches("http://other", "x")).isFalse();
      assertThat(inSystem.matches(null, "x")).isFalse();
      assertThat(inSystem.matches("http://s", "y")).isFalse();
      assertThat(anySystem.matches("http://s", "x")).isTrue();
      assertThat(anySystem.matches(null, "x")).isTrue();
      assertThat(anySystem.matches(null, "X")).isFalse();
      assertThat(noSystem.matches(null, "x")).isTrue();
      assertThat(noSystem.matches("", "x")).isTrue();
      assertThat(noSystem.matches("http://s", "x")).isFalse();
    }

    @Test
    void invalidValues() {
      assertThatThrownBy(() -> TokenValue.anySystem("")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TokenValue.anySystem("a|b")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TokenValue.anySystem("a,b")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TokenValue.of("a|b", "c")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TokenValue.of("http://a b", "c")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TokenValue.anySystem("x\n")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> TokenValue.anySystem(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void orderPutsAnySystemFirst() {
      assertThat(List.of(TokenValue.of("b", "x"), TokenValue.noSystem("x"), TokenValue.anySystem("z"))
              .stream().sorted().map(TokenValue::toString))
          .containsExactly("z", "|x", "b|x");
    }
  }

  @Nested
  class GranularFilters {

    @Test
    void noneIsEmpty() {
      assertThat(GranularFilter.NONE.isEmpty()).isTrue();
      assertThat(GranularFilter.NONE).hasToString("");
      assertThat(GranularFilter.NONE.values("category")).isEmpty();
    }

    @Test
    void builtProgrammaticallyEqualsParsed() {
      GranularFilter built = GranularFilter.of(Map.of(
          "status", List.of(TokenValue.anySystem("final")),
          "category", List.of(TokenValue.anySystem("laboratory"), TokenValue.noSystem("imaging"))));
      GranularFilter parsed = ((ResourceScope) SmartScope.parse(
          "patient/Observation.rs?category=laboratory,%7Cimaging&status=final")).filter();

      assertThat(built).isEqualTo(parsed);
      assertThat(built).hasToString("category=laboratory,|imaging&status=final");
    }

    @Test
    void invalidFilters() {
      assertThatThrownBy(() -> GranularFilter.of(Map.of("category", List.of())))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> GranularFilter.of(Map.of("category:not", List.of(TokenValue.anySystem("a")))))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class ResourceScopes {

    @Test
    void v2Factory() {
      ResourceScope scope = ResourceScope.v2(ScopeContext.PATIENT, "Observation", "rs");

      assertThat(scope).isEqualTo(SmartScope.parse("patient/Observation.rs"));
      assertThat(scope.permissionSuffix()).isEqualTo("rs");
    }

    @Test
    void v1SuffixesComeBack() {
      assertThat(((ResourceScope) SmartScope.parse("user/*.*")).permissionSuffix()).isEqualTo("*");
      assertThat(((ResourceScope) SmartScope.parse("user/*.*")).permissionLetters()).isEqualTo("cruds");
      assertThat(((ResourceScope) SmartScope.parse("user/*.write")).permissionSuffix()).isEqualTo("write");
    }

    @Test
    void invariants() {
      GranularFilter lab = GranularFilter.of(Map.of("category", List.of(TokenValue.anySystem("laboratory"))));
      EnumSet<Interaction> rs = EnumSet.of(Interaction.READ, Interaction.SEARCH);

      assertThatThrownBy(() -> new ResourceScope(ScopeContext.USER, "Foo", rs, ScopeVersion.V2, GranularFilter.NONE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new ResourceScope(
              ScopeContext.USER, "Observation", EnumSet.noneOf(Interaction.class), ScopeVersion.V2, GranularFilter.NONE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new ResourceScope(
              ScopeContext.USER, "Observation", EnumSet.of(Interaction.READ), ScopeVersion.V1, GranularFilter.NONE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> new ResourceScope(ScopeContext.USER, "Observation", rs, ScopeVersion.V1, lab))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ResourceScope.v2(ScopeContext.USER, "Observation", "sr"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(new ResourceScope(ScopeContext.USER, "Observation", rs, ScopeVersion.V2, lab))
          .hasToString("user/Observation.rs?category=laboratory");
    }

    @Test
    void defensiveCopyOfPermissions() {
      EnumSet<Interaction> permissions = EnumSet.of(Interaction.READ);
      ResourceScope scope =
          new ResourceScope(ScopeContext.USER, "Observation", permissions, ScopeVersion.V2, GranularFilter.NONE);

      permissions.add(Interaction.DELETE);

      assertThat(scope.permissions()).containsExactly(Interaction.READ);
    }
  }
}
