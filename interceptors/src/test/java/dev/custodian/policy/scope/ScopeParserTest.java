package dev.custodian.policy.scope;

import static dev.custodian.policy.scope.Interaction.CREATE;
import static dev.custodian.policy.scope.Interaction.DELETE;
import static dev.custodian.policy.scope.Interaction.READ;
import static dev.custodian.policy.scope.Interaction.SEARCH;
import static dev.custodian.policy.scope.Interaction.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeParserTest {

  private static ResourceScope resource(String scope) {
    SmartScope parsed = SmartScope.parse(scope);
    assertThat(parsed).isInstanceOf(ResourceScope.class);
    return (ResourceScope) parsed;
  }

  @Nested
  class V1Scopes {

    @ParameterizedTest
    @CsvSource({
      "patient/Observation.read, rs",
      "user/ImagingStudy.write, cud",
      "system/DiagnosticReport.*, cruds",
      "patient/*.read, rs",
      "user/*.write, cud",
      "system/*.*, cruds",
    })
    void mapToV2LettersAndRememberV1(String scope, String letters) {
      ResourceScope parsed = resource(scope);

      assertThat(parsed.version()).isEqualTo(ScopeVersion.V1);
      assertThat(parsed.permissionLetters()).isEqualTo(letters);
      assertThat(parsed.value()).isEqualTo(scope);
      assertThat(parsed.isFiltered()).isFalse();
    }

    @Test
    void readIsReadAndSearch() {
      assertThat(resource("patient/Observation.read").permissions()).containsExactly(READ, SEARCH);
    }

    @Test
    void writeIsCreateUpdateDelete() {
      assertThat(resource("patient/Observation.write").permissions())
          .containsExactly(CREATE, UPDATE, DELETE);
    }

    @Test
    void starIsEverything() {
      assertThat(resource("patient/Observation.*").permissions())
          .containsExactlyInAnyOrder(Interaction.values());
    }

    @Test
    void v1AndItsV2EquivalentAreDistinctScopesWithTheSamePermissions() {
      ResourceScope v1 = resource("patient/Observation.read");
      ResourceScope v2 = resource("patient/Observation.rs");

      assertThat(v1).isNotEqualTo(v2);
      assertThat(v1.permissions()).isEqualTo(v2.permissions());
      assertThat(v2.version()).isEqualTo(ScopeVersion.V2);
    }
  }

  @Nested
  class V2Scopes {

    @ParameterizedTest
    @ValueSource(strings = {
      "c", "r", "u", "d", "s", "cr", "rs", "cu", "cud", "crud", "cruds", "rd", "us", "cs", "crs", "uds"
    })
    void acceptEveryInOrderSubsequenceOfCruds(String letters) {
      ResourceScope parsed = resource("user/Observation." + letters);

      assertThat(parsed.version()).isEqualTo(ScopeVersion.V2);
      assertThat(parsed.permissionLetters()).isEqualTo(letters);
      assertThat(parsed.value()).isEqualTo("user/Observation." + letters);
      for (Interaction interaction : Interaction.values()) {
        assertThat(parsed.allows(interaction))
            .as("%s allows %s", letters, interaction)
            .isEqualTo(letters.indexOf(interaction.letter()) >= 0);
      }
    }

    @ParameterizedTest
    @EnumSource(ScopeContext.class)
    void acceptEveryContext(ScopeContext context) {
      ResourceScope parsed = resource(context.code() + "/ImagingStudy.rs");

      assertThat(parsed.context()).isEqualTo(context);
      assertThat(parsed.resourceType()).isEqualTo("ImagingStudy");
      assertThat(parsed.isWildcard()).isFalse();
    }

    @Test
    void wildcardType() {
      ResourceScope parsed = resource("system/*.rs");

      assertThat(parsed.isWildcard()).isTrue();
      assertThat(parsed.resourceType()).isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Patient", "ImagingStudy", "DiagnosticReport", "Consent", "AuditEvent", "Binary"})
    void acceptR4ResourceTypes(String type) {
      assertThat(resource("patient/" + type + ".r").resourceType()).isEqualTo(type);
    }
  }

  @Nested
  class GranularScopes {

    @Test
    void specExample() {
      ResourceScope parsed = resource(
          "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory");

      assertThat(parsed.isFiltered()).isTrue();
      assertThat(parsed.filter().parameters()).containsOnlyKeys("category");
      assertThat(parsed.filter().values("category")).containsExactly(
          TokenValue.of("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"));
    }

    @Test
    void threeTokenForms() {
      ResourceScope parsed = resource("patient/Observation.rs?category=laboratory,|imaging,http://x.org/cs|vital-signs");

      assertThat(parsed.filter().values("category")).containsExactlyInAnyOrder(
          TokenValue.anySystem("laboratory"),
          TokenValue.noSystem("imaging"),
          TokenValue.of("http://x.org/cs", "vital-signs"));
      TokenValue noSystem = parsed.filter().values("category").stream()
          .filter(v -> v.code().equals("imaging")).findFirst().orElseThrow();
      assertThat(noSystem.system()).isEmpty();
      TokenValue anySystem = parsed.filter().values("category").stream()
          .filter(v -> v.code().equals("laboratory")).findFirst().orElseThrow();
      assertThat(anySystem.system()).isNull();
    }

    @Test
    void valuesArePercentDecodedIncludingTheBar() {
      ResourceScope parsed = resource(
          "patient/Observation.rs?category=http%3A%2F%2Fterminology.hl7.org%2FCodeSystem%2Fobservation-category%7Claboratory");

      assertThat(parsed.filter().values("category")).containsExactly(
          TokenValue.of("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"));
    }

    @Test
    void decodedUtf8AndSpacesInCodes() {
      ResourceScope parsed = resource("patient/Observation.rs?code=Gr%C3%B6%C3%9Fe%20a");

      assertThat(parsed.filter().values("code")).containsExactly(TokenValue.anySystem("Größe a"));
      assertThat(parsed.value()).isEqualTo("patient/Observation.rs?code=Gr%C3%B6%C3%9Fe%20a");
    }

    @Test
    void plusIsNotASpace() {
      ResourceScope parsed = resource("patient/Observation.rs?code=a+b");

      assertThat(parsed.filter().values("code")).containsExactly(TokenValue.anySystem("a+b"));
    }

    @Test
    void severalParametersAreKeptAndPrintedInNameOrder() {
      ResourceScope parsed = resource("patient/Observation.rs?status=final&category=laboratory");

      assertThat(parsed.filter().parameters()).containsOnlyKeys("category", "status");
      assertThat(parsed.value()).isEqualTo("patient/Observation.rs?category=laboratory&status=final");
    }

    @Test
    void equivalentFiltersAreEqual() {
      assertThat(resource("patient/Observation.rs?status=final&category=b,a"))
          .isEqualTo(resource("patient/Observation.rs?category=a,b&status=final"));
    }

    @Test
    void resourceLevelTokenParametersWorkOnTheWildcard() {
      ResourceScope parsed = resource(
          "user/*.rs?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N");

      assertThat(parsed.filter().values("_security"))
          .containsExactly(TokenValue.of("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "N"));
    }

    @Test
    void imagingStudyModality() {
      assertThat(resource("patient/ImagingStudy.rs?modality=http://dicom.nema.org/resources/ontology/DCM|CT")
              .filter().values("modality"))
          .containsExactly(TokenValue.of("http://dicom.nema.org/resources/ontology/DCM", "CT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
      "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
      "patient/Observation.rs?category=%7Cimaging",
      "patient/Observation.rs?category=laboratory,vital-signs&status=final",
      "user/*.rs?_tag=http://example.org/tags|research",
      "patient/Observation.cu?code=http://loinc.org|1234-5",
    })
    void canonicalFormRoundTrips(String scope) {
      ResourceScope parsed = resource(scope);

      assertThat(SmartScope.parse(parsed.value())).isEqualTo(parsed);
    }

    @Test
    void specialCharactersAreReEncodedInCanonicalForm() {
      ResourceScope parsed = resource("patient/Observation.rs?code=a%26b%3Dc%25d%3Fe%23f");

      assertThat(parsed.filter().values("code")).containsExactly(TokenValue.anySystem("a&b=c%d?e#f"));
      assertThat(parsed.value()).isEqualTo("patient/Observation.rs?code=a%26b%3Dc%25d%3Fe%23f");
      assertThat(SmartScope.parse(parsed.value())).isEqualTo(parsed);
    }
  }

  @Nested
  class NonResourceScopes {

    @ParameterizedTest
    @EnumSource(NonResourceScope.class)
    void parseEachToItsOwnKind(NonResourceScope expected) {
      assertThat(SmartScope.parse(expected.value())).isSameAs(expected);
    }

    @Test
    void spellings() {
      assertThat(Stream.of(NonResourceScope.values()).map(NonResourceScope::value)).containsExactly(
          "openid", "fhirUser", "profile", "launch", "launch/patient", "launch/encounter",
          "offline_access", "online_access", "custodian/admin");
    }
  }

  @Nested
  class ScopeStrings {

    @Test
    void parsesASpaceSeparatedMix() {
      ScopeSet set = ScopeSet.parse(
          "launch/patient openid fhirUser patient/ImagingStudy.rs patient/*.read offline_access");

      assertThat(set.size()).isEqualTo(6);
      assertThat(set.nonResourceScopes()).containsExactlyInAnyOrder(
          NonResourceScope.LAUNCH_PATIENT, NonResourceScope.OPENID, NonResourceScope.FHIR_USER,
          NonResourceScope.OFFLINE_ACCESS);
      assertThat(set.resourceScopes()).extracting(ResourceScope::value)
          .containsExactlyInAnyOrder("patient/ImagingStudy.rs", "patient/*.read");
    }

    @Test
    void emptyOrAbsentIsTheEmptySet() {
      assertThat(ScopeSet.parse("")).isEqualTo(ScopeSet.empty());
      assertThat(ScopeSet.parse(null).isEmpty()).isTrue();
    }

    @Test
    void duplicatesAreKeptOnce() {
      assertThat(ScopeSet.parse("openid patient/Observation.rs openid patient/Observation.rs").toString())
          .isEqualTo("openid patient/Observation.rs");
    }

    @Test
    void canonicalOrder() {
      ScopeSet set = ScopeSet.parse(
          "system/Patient.rs user/Observation.rs offline_access patient/Observation.rs patient/*.rs openid launch");

      assertThat(set.toString()).isEqualTo(
          "openid launch offline_access patient/*.rs patient/Observation.rs user/Observation.rs system/Patient.rs");
      assertThat(ScopeSet.parse(set.toString())).isEqualTo(set);
    }

    @Test
    void tooLong() {
      String scopes = String.join(" ", java.util.Collections.nCopies(1000, "patient/Observation.rs"));

      assertThatThrownBy(() -> ScopeSet.parse(scopes))
          .isInstanceOf(InvalidScopeException.class)
          .hasMessageContaining("longer than");
    }

    @ParameterizedTest
    @ValueSource(strings = {" openid", "openid ", "openid  fhirUser", " "})
    void strayWhitespaceIsRejected(String scopes) {
      InvalidScopeException e = catchThrowableOfType(() -> ScopeSet.parse(scopes), InvalidScopeException.class);

      assertThat(e).isNotNull();
      assertThat(e.reason()).contains("single spaces");
    }

    @Test
    void tabIsRejectedAndNamedSafely() {
      InvalidScopeException e =
          catchThrowableOfType(() -> ScopeSet.parse("openid\tfhirUser"), InvalidScopeException.class);

      assertThat(e.scope()).isEqualTo("openid\tfhirUser");
      assertThat(e.getMessage()).contains("openid\\u0009fhirUser").doesNotContain("\t");
    }

    @Test
    void firstBadScopeIsNamed() {
      InvalidScopeException e = catchThrowableOfType(
          () -> ScopeSet.parse("openid patient/Observation.rs patient/Foo.rs user/*.rs"),
          InvalidScopeException.class);

      assertThat(e.scope()).isEqualTo("patient/Foo.rs");
      assertThat(e.getMessage()).startsWith("invalid scope \"patient/Foo.rs\": ");
    }
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        // unknown words and contexts
        Arguments.of("email", "unknown scope"),
        Arguments.of("OpenID", "unknown scope"),
        Arguments.of("fhiruser", "unknown scope"),
        Arguments.of("launch/location", "unknown launch context"),
        Arguments.of("launch/", "unknown launch context"),
        Arguments.of("Patient/Observation.rs", "unknown context 'Patient'"),
        Arguments.of("practitioner/Observation.rs", "unknown context 'practitioner'"),
        Arguments.of("/Observation.rs", "unknown context ''"),
        Arguments.of("patient/*/Observation.rs", "unknown FHIR R4 resource type '*/Observation'"),
        // resource types
        Arguments.of("patient/Foo.rs", "unknown FHIR R4 resource type 'Foo'"),
        Arguments.of("patient/observation.rs", "unknown FHIR R4 resource type 'observation'"),
        Arguments.of("patient/Resource.rs", "unknown FHIR R4 resource type 'Resource'"),
        Arguments.of("patient/DomainResource.read", "unknown FHIR R4 resource type 'DomainResource'"),
        Arguments.of("patient/.rs", "missing resource type"),
        Arguments.of("patient/Observation", "missing '.'"),
        Arguments.of("patient/", "missing '.'"),
        Arguments.of("patient/**.rs", "unknown FHIR R4 resource type '**'"),
        // permissions
        Arguments.of("patient/Observation.", "missing permissions"),
        Arguments.of("patient/Observation.rc", "order c, r, u, d, s"),
        Arguments.of("patient/Observation.sr", "order c, r, u, d, s"),
        Arguments.of("patient/Observation.scrud", "order c, r, u, d, s"),
        Arguments.of("patient/Observation.rr", "'r' is repeated"),
        Arguments.of("patient/Observation.crr", "'r' is repeated"),
        Arguments.of("patient/Observation.x", "unknown permission 'x'"),
        Arguments.of("patient/Observation.R", "unknown permission 'R'"),
        Arguments.of("patient/Observation.READ", "unknown permission 'READ'"),
        Arguments.of("patient/Observation.reads", "unknown permission 'reads'"),
        Arguments.of("patient/Observation.rs.", "unknown permission 'rs.'"),
        Arguments.of("patient/Observation.r.s", "unknown permission 'r.s'"),
        Arguments.of("patient/Observation.**", "unknown permission '**'"),
        Arguments.of("patient/Observation.all", "unknown permission 'all'"),
        // stray characters
        Arguments.of("patient/Observation.rs\u00e9", "U+00E9"),
        Arguments.of("patient/Observation.rs\"", "U+0022"),
        Arguments.of("patient/Observation.rs\\", "U+005C"),
        Arguments.of("patient/Observation.rs\n", "U+000A"),
        // filters
        Arguments.of("patient/Observation.read?category=laboratory", "needs v2 permission letters"),
        Arguments.of("patient/*.*?category=laboratory", "needs v2 permission letters"),
        Arguments.of("patient/Observation.rs?", "empty filter"),
        Arguments.of("patient/Observation.rs?category=laboratory?status=final", "more than one '?'"),
        Arguments.of("patient/Observation.rs??category=laboratory", "more than one '?'"),
        Arguments.of("patient/Observation.rs?category=laboratory&", "stray '&'"),
        Arguments.of("patient/Observation.rs?&category=laboratory", "stray '&'"),
        Arguments.of("patient/Observation.rs?category=a&&status=final", "stray '&'"),
        Arguments.of("patient/Observation.rs?category", "has no '='"),
        Arguments.of("patient/Observation.rs?=laboratory", "without a name"),
        Arguments.of("patient/Observation.rs?category=", "empty value"),
        Arguments.of("patient/Observation.rs?category=a=b", "'=' inside a filter value"),
        Arguments.of("patient/Observation.rs?category=a,", "empty value in the list"),
        Arguments.of("patient/Observation.rs?category=,a", "empty value in the list"),
        Arguments.of("patient/Observation.rs?category=a,a", "lists the value 'a' twice"),
        Arguments.of("patient/Observation.rs?category=a&category=b", "appears more than once"),
        Arguments.of("patient/Observation.rs?category=http://x|", "has no code"),
        Arguments.of("patient/Observation.rs?category=|", "has no code"),
        Arguments.of("patient/Observation.rs?category=a|b|c", "more than one '|'"),
        Arguments.of("patient/Observation.rs?category=a%7Cb%7Cc", "more than one '|'"),
        Arguments.of("patient/Observation.rs?category=a%5C%7Cb", "escapes"),
        Arguments.of("patient/Observation.rs?category=%ZZ", "malformed percent-encoding"),
        Arguments.of("patient/Observation.rs?category=abc%4", "malformed percent-encoding"),
        Arguments.of("patient/Observation.rs?category=%C3%28", "malformed percent-encoding"),
        Arguments.of("patient/Observation.rs?category=a%0Ab", "control characters"),
        Arguments.of("patient/Observation.rs?category=%20a", "whitespace"),
        Arguments.of("patient/Observation.rs?category=http://x%20y|a", "spaces"),
        Arguments.of("patient/Observation.rs?category:not=laboratory", "modifiers"),
        Arguments.of("patient/Observation.rs?subject.name=x", "chained"),
        Arguments.of("patient/Observation.rs?cat%65gory=laboratory", "not a search parameter name"),
        Arguments.of("patient/Observation.rs?categroy=laboratory", "'categroy' is not a token search parameter of Observation"),
        Arguments.of("patient/Observation.rs?date=2020", "'date' is not a token search parameter"),
        Arguments.of("patient/Observation.rs?subject=Patient/1", "'subject' is not a token search parameter"),
        Arguments.of("patient/Observation.rs?_count=10", "'_count' is not a token search parameter"),
        Arguments.of("patient/*.rs?category=laboratory", "not a token search parameter of every resource type"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("rejected")
  void rejects(String scope, String reasonFragment) {
    InvalidScopeException e = catchThrowableOfType(() -> SmartScope.parse(scope), InvalidScopeException.class);

    assertThat(e).as("expected %s to be rejected", scope).isNotNull();
    assertThat(e.scope()).isEqualTo(scope);
    assertThat(e.reason()).contains(reasonFragment);
    assertThat(e.getMessage()).contains(reasonFragment);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("rejected")
  void rejectsInsideAScopeString(String scope, String reasonFragment) {
    InvalidScopeException e = catchThrowableOfType(
        () -> ScopeSet.parse("openid " + scope + " launch"), InvalidScopeException.class);

    assertThat(e).as("expected %s to be rejected", scope).isNotNull();
    assertThat(e.scope()).isEqualTo(scope);
    assertThat(e.reason()).contains(reasonFragment);
  }

  @Test
  void emptySingleScopeIsRejected() {
    assertThatThrownBy(() -> SmartScope.parse("")).isInstanceOf(InvalidScopeException.class)
        .hasMessageContaining("empty scope");
  }

  @Test
  void oauthErrorCode() {
    assertThat(InvalidScopeException.OAUTH_ERROR).isEqualTo("invalid_scope");
  }

  @Test
  void customTokenCatalogAllowsServerDefinedParameters() {
    TokenSearchParameters withCustom = (type, name) ->
        (type.equals("ImagingStudy") && name.equals("body-region"))
            || TokenSearchParameters.builtInR4().isToken(type, name);
    ScopeParser parser = new ScopeParser(withCustom);

    ResourceScope scope = (ResourceScope) parser.parseScope("patient/ImagingStudy.rs?body-region=head");

    assertThat(scope.filter().values("body-region")).containsExactly(TokenValue.anySystem("head"));
    assertThatThrownBy(() -> SmartScope.parse("patient/ImagingStudy.rs?body-region=head"))
        .isInstanceOf(InvalidScopeException.class);
    assertThatThrownBy(() -> parser.parseScope("patient/ImagingStudy.rs?nonsense=head"))
        .isInstanceOf(InvalidScopeException.class);
  }

  @Test
  void builtInCatalogOnWildcardKnowsOnlyParametersEveryTypeHas() {
    TokenSearchParameters catalog = TokenSearchParameters.builtInR4();

    assertThat(catalog.isToken("*", "_security")).isTrue();
    assertThat(catalog.isToken("*", "_tag")).isTrue();
    assertThat(catalog.isToken("*", "_id")).isTrue();
    assertThat(catalog.isToken("*", "category")).isFalse();
    assertThat(catalog.isToken("*", "_profile")).isFalse();
    assertThat(catalog.isToken("Observation", "category")).isTrue();
    assertThat(catalog.isToken("Foo", "category")).isFalse();
  }

  @Test
  void permissionSetsAreImmutable() {
    Set<Interaction> permissions = resource("patient/Observation.rs").permissions();

    assertThatThrownBy(() -> permissions.add(CREATE)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(permissions).isEqualTo(EnumSet.of(READ, SEARCH));
    assertThatThrownBy(() -> ScopeSet.parse("openid").scopes().add(NonResourceScope.LAUNCH))
        .isInstanceOf(UnsupportedOperationException.class);
    List<TokenValue> values = resource("patient/Observation.rs?category=a").filter().values("category");
    assertThatThrownBy(() -> values.add(TokenValue.anySystem("b")))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
