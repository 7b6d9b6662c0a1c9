package dev.custodian.policy.scope;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parses SMART scope strings strictly. Anything that is not a well-formed scope this server knows is
 * rejected with an {@link InvalidScopeException} naming the scope and the reason, which the
 * authorization server returns as {@code invalid_scope}.
 *
 * <p>Grammar accepted (SMART App Launch 2.2):
 *
 * <pre>
 * scope-string   = scope *( SP scope )                    ; single spaces, none leading/trailing
 * scope          = non-resource / resource-scope
 * non-resource   = "openid" / "fhirUser" / "profile" / "launch" / "launch/patient"
 *                / "launch/encounter" / "offline_access" / "online_access"
 * resource-scope = context "/" ( R4-resource-type / "*" ) "." permissions [ "?" filter ]
 * context        = "patient" / "user" / "system"
 * permissions    = "read" / "write" / "*"                 ; v1, never with a filter
 *                / [ "c" ] [ "r" ] [ "u" ] [ "d" ] [ "s" ] ; v2, at least one letter
 * filter         = param "=" values *( "&amp;" param "=" values )
 * param          = a token search parameter of the type, no modifiers, no chains, at most once
 * values         = token *( "," token )                   ; percent-decoded first, no duplicates
 * token          = code / system "|" code / "|" code
 * </pre>
 *
 * Every character must be one RFC 6749 allows in a scope token (visible ASCII except {@code "} and
 * {@code \}). Filter parameters must be token search parameters known to the
 * {@link TokenSearchParameters} catalog the parser was built with.
 */
public final class ScopeParser {

  /** Upper bound on a whole scope string, in characters: a guard against abusive requests. */
  public static final int MAX_SCOPE_STRING_LENGTH = 8192;

  private static final Pattern PARAMETER_NAME = Pattern.compile("_?[A-Za-z][A-Za-z0-9_-]*");
  private static final ScopeParser STANDARD = new ScopeParser(TokenSearchParameters.builtInR4());

  private final TokenSearchParameters tokenParameters;

  /** A parser whose filters may use the token parameters {@code tokenParameters} knows. */
  public ScopeParser(TokenSearchParameters tokenParameters) {
    this.tokenParameters = Objects.requireNonNull(tokenParameters, "tokenParameters");
  }

  /** The parser for the FHIR R4 specification's own search parameters. */
  public static ScopeParser standard() {
    return STANDARD;
  }

  /**
   * Parses a space-separated scope string. {@code null} or the empty string (no scope requested)
   * give the empty set; repeated scopes are kept once.
   *
   * @throws InvalidScopeException naming the first scope at fault
   */
  public ScopeSet parse(String scopeString) {
    if (scopeString == null || scopeString.isEmpty()) {
      return ScopeSet.empty();
    }
    if (scopeString.length() > MAX_SCOPE_STRING_LENGTH) {
      throw new InvalidScopeException(
          "", "the scope string is longer than " + MAX_SCOPE_STRING_LENGTH + " characters");
    }
    List<SmartScope> scopes = new ArrayList<>();
    for (String scope : scopeString.split(" ", -1)) {
      if (scope.isEmpty()) {
        throw new InvalidScopeException(
            "", "empty scope: scopes are separated by single spaces, with none leading or trailing");
      }
      scopes.add(parseScope(scope));
    }
    return ScopeSet.of(scopes);
  }

  /**
   * Parses a single scope.
   *
   * @throws InvalidScopeException if it is malformed or unknown
   */
  public SmartScope parseScope(String scope) {
    if (scope == null || scope.isEmpty()) {
      throw new InvalidScopeException("", "empty scope");
    }
    for (int i = 0; i < scope.length(); i++) {
      char c = scope.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
        throw new InvalidScopeException(
            scope, String.format("character U+%04X is not allowed in a scope", (int) c));
      }
    }
    Optional<NonResourceScope> nonResource = NonResourceScope.fromValue(scope);
    if (nonResource.isPresent()) {
      return nonResource.get();
    }
    return parseResourceScope(scope);
  }

  private ResourceScope parseResourceScope(String scope) {
    int slash = scope.indexOf('/');
    if (slash < 0) {
      throw new InvalidScopeException(scope, "unknown scope");
    }
    String prefix = scope.substring(0, slash);
    if (prefix.equals("launch")) {
      throw new InvalidScopeException(
          scope, "unknown launch context (supported: launch/patient, launch/encounter)");
    }
    ScopeContext context = ScopeContext.fromCode(prefix)
        .orElseThrow(() -> new InvalidScopeException(
            scope, "unknown context '" + prefix + "' (expected patient, user or system)"));

    String rest = scope.substring(slash + 1);
    int question = rest.indexOf('?');
    String body = question < 0 ? rest : rest.substring(0, question);
    String query = question < 0 ? null : rest.substring(question + 1);
    if (query != null && query.indexOf('?') >= 0) {
      throw new InvalidScopeException(scope, "more than one '?'");
    }

    int dot = body.indexOf('.');
    if (dot < 0) {
      throw new InvalidScopeException(scope, "missing '.' and permissions after the resource type");
    }
    String resourceType = body.substring(0, dot);
    if (resourceType.isEmpty()) {
      throw new InvalidScopeException(scope, "missing resource type");
    }
    if (!ResourceScope.WILDCARD.equals(resourceType) && !R4ResourceTypes.isKnown(resourceType)) {
      throw new InvalidScopeException(scope, "unknown FHIR R4 resource type '" + resourceType + "'");
    }

    String suffix = body.substring(dot + 1);
    ScopeVersion version;
    Set<Interaction> permissions;
    switch (suffix) {
      case "read":
        version = ScopeVersion.V1;
        permissions = EnumSet.of(Interaction.READ, Interaction.SEARCH);
        break;
      case "write":
        version = ScopeVersion.V1;
        permissions = EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
        break;
      case "*":
        version = ScopeVersion.V1;
        permissions = EnumSet.allOf(Interaction.class);
        break;
      default:
        version = ScopeVersion.V2;
        permissions = parseLetters(scope, suffix);
    }

    GranularFilter filter = GranularFilter.NONE;
    if (query != null) {
      if (version == ScopeVersion.V1) {
        throw new InvalidScopeException(
            scope, "a granular filter ('?') needs v2 permission letters (cruds), not '" + suffix + "'");
      }
      filter = parseFilter(scope, resourceType, query);
    }
    return new ResourceScope(context, resourceType, permissions, version, filter);
  }

  private static Set<Interaction> parseLetters(String scope, String letters) {
    if (letters.isEmpty()) {
      throw new InvalidScopeException(scope, "missing permissions after '.'");
    }
    EnumSet<Interaction> permissions = EnumSet.noneOf(Interaction.class);
    Interaction previous = null;
    for (int i = 0; i < letters.length(); i++) {
      char letter = letters.charAt(i);
      Interaction interaction = Interaction.fromLetter(letter)
          .orElseThrow(() -> new InvalidScopeException(
              scope,
              "unknown permission '" + letters + "' (expected read, write, * or letters from cruds)"));
      if (interaction == previous) {
        throw new InvalidScopeException(scope, "permission letter '" + letter + "' is repeated");
      }
      if (previous != null && interaction.ordinal() < previous.ordinal()) {
        throw new InvalidScopeException(
            scope, "permission letters must appear in the order c, r, u, d, s");
      }
      permissions.add(interaction);
      previous = interaction;
    }
    return permissions;
  }

  private GranularFilter parseFilter(String scope, String resourceType, String query) {
    if (query.isEmpty()) {
      throw new InvalidScopeException(scope, "empty filter after '?'");
    }
    TreeMap<String, List<TokenValue>> parameters = new TreeMap<>();
    for (String part : query.split("&", -1)) {
      if (part.isEmpty()) {
        throw new InvalidScopeException(scope, "empty parameter in the filter (stray '&')");
      }
      int equals = part.indexOf('=');
      if (equals < 0) {
        throw new InvalidScopeException(scope, "filter parameter '" + part + "' has no '=' and value");
      }
      String name = part.substring(0, equals);
      String rawValue = part.substring(equals + 1);
      checkParameterName(scope, resourceType, name);
      if (parameters.containsKey(name)) {
        throw new InvalidScopeException(
            scope, "filter parameter '" + name + "' appears more than once (list its values with ',')");
      }
      if (rawValue.indexOf('=') >= 0) {
        throw new InvalidScopeException(scope, "'=' inside a filter value must be percent-encoded");
      }
      parameters.put(name, parseValues(scope, name, rawValue));
    }
    return new GranularFilter(parameters);
  }

  private void checkParameterName(String scope, String resourceType, String name) {
    if (name.isEmpty()) {
      throw new InvalidScopeException(scope, "filter parameter without a name");
    }
    if (name.indexOf(':') >= 0) {
      throw new InvalidScopeException(scope, "search modifiers (':') are not allowed in scope filters");
    }
    if (name.indexOf('.') >= 0) {
      throw new InvalidScopeException(scope, "chained search parameters are not allowed in scope filters");
    }
    if (!isParameterName(name)) {
      throw new InvalidScopeException(scope, "'" + name + "' is not a search parameter name");
    }
    if (!tokenParameters.isToken(resourceType, name)) {
      throw new InvalidScopeException(
          scope,
          "'" + name + "' is not a token search parameter of "
              + (ResourceScope.WILDCARD.equals(resourceType) ? "every resource type" : resourceType));
    }
  }

  private static List<TokenValue> parseValues(String scope, String name, String rawValue) {
    String decoded = PercentCoding.decode(rawValue);
    if (decoded == null) {
      throw new InvalidScopeException(
          scope, "malformed percent-encoding in the value of filter parameter '" + name + "'");
    }
    if (decoded.isEmpty()) {
      throw new InvalidScopeException(scope, "filter parameter '" + name + "' has an empty value");
    }
    if (decoded.indexOf('\\') >= 0) {
      throw new InvalidScopeException(scope, "FHIR search escapes ('\\') are not supported in scope filters");
    }
    List<TokenValue> values = new ArrayList<>();
    for (String token : decoded.split(",", -1)) {
      TokenValue value = parseToken(scope, name, token);
      if (values.contains(value)) {
        throw new InvalidScopeException(
            scope, "filter parameter '" + name + "' lists the value '" + token + "' twice");
      }
      values.add(value);
    }
    return values;
  }

  private static TokenValue parseToken(String scope, String name, String token) {
    if (token.isEmpty()) {
      throw new InvalidScopeException(scope, "empty value in the list of filter parameter '" + name + "'");
    }
    int bar = token.indexOf('|');
    if (bar >= 0 && token.indexOf('|', bar + 1) >= 0) {
      throw new InvalidScopeException(scope, "more than one '|' in the token '" + token + "'");
    }
    String system = bar < 0 ? null : token.substring(0, bar);
    String code = bar < 0 ? token : token.substring(bar + 1);
    if (code.isEmpty()) {
      throw new InvalidScopeException(
          scope, "the token '" + token + "' has no code (a code system alone is not accepted)");
    }
    try {
      return new TokenValue(system, code);
    } catch (IllegalArgumentException e) {
      throw new InvalidScopeException(scope, "bad token '" + token + "': " + e.getMessage());
    }
  }

  /** Whether {@code name} is a plain search parameter name (no modifier, no chain). */
  static boolean isParameterName(String name) {
    return PARAMETER_NAME.matcher(name).matches();
  }

  /** The interactions named by v2 letters in canonical order; IllegalArgumentException otherwise. */
  static Set<Interaction> lettersToInteractions(String letters) {
    try {
      return parseLetters(letters, letters);
    } catch (InvalidScopeException e) {
      throw new IllegalArgumentException(e.reason(), e);
    }
  }
}
