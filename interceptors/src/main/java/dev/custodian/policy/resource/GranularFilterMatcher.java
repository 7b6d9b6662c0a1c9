package dev.custodian.policy.resource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.util.FhirTerser;
import dev.custodian.policy.scope.GranularFilter;
import dev.custodian.policy.scope.TokenValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Whether a resource satisfies a SMART granular scope filter ({@code ?category=…|laboratory}), by
 * FHIR token search rules: every parameter must match, any one of a parameter's values suffices.
 *
 * <p>A parameter's values are read along the paths of its R4 search parameter definition. Plain
 * paths ({@code DiagnosticReport.category}) and typed choices ({@code (X.value as CodeableConcept)})
 * are evaluated; paths with FHIRPath functions such as {@code .where(...)} are not, and yield no
 * values — so a filter on such a parameter matches nothing (fail closed) rather than everything.
 */
public final class GranularFilterMatcher {

  private static final Pattern AS_TYPE = Pattern.compile("^\\(?\\s*([A-Za-z.]+)\\s+as\\s+[A-Za-z]+\\s*\\)?$");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z]+(\\.[A-Za-z]+)*");

  private final FhirContext context;
  private final FhirTerser terser;

  public GranularFilterMatcher(FhirContext context) {
    this.context = context;
    this.terser = context.newTerser();
  }

  /** Whether {@code resource} satisfies {@code filter}; {@link GranularFilter#NONE} is satisfied by all. */
  public boolean matches(GranularFilter filter, IBaseResource resource) {
    RuntimeResourceDefinition definition = context.getResourceDefinition(resource);
    for (Map.Entry<String, List<TokenValue>> parameter : filter.parameters().entrySet()) {
      RuntimeSearchParam searchParam = definition.getSearchParam(parameter.getKey());
      if (searchParam == null || searchParam.getParamType() != RestSearchParameterTypeEnum.TOKEN) {
        return false;
      }
      List<Token> tokens = tokensOf(resource, definition.getName(), searchParam);
      boolean any = false;
      for (TokenValue wanted : parameter.getValue()) {
        for (Token token : tokens) {
          if (wanted.matches(token.system(), token.code())) {
            any = true;
            break;
          }
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  private record Token(String system, String code) {}

  private List<Token> tokensOf(IBaseResource resource, String type, RuntimeSearchParam searchParam) {
    List<Token> tokens = new ArrayList<>();
    for (String rawPath : searchParam.getPathsSplitForResourceType(type)) {
      String path = evaluablePath(rawPath.trim(), type);
      if (path == null) {
        continue;
      }
      for (IBase value : terser.getValues(resource, path)) {
        addTokens(value, tokens);
      }
    }
    return tokens;
  }

  /** The path relative to the resource, or null if it cannot be evaluated as a plain path. */
  private static String evaluablePath(String path, String type) {
    Matcher typed = AS_TYPE.matcher(path);
    if (typed.matches()) {
      path = typed.group(1);
    }
    if (!PLAIN.matcher(path).matches()) {
      return null;
    }
    for (String prefix : List.of(type + ".", "Resource.", "DomainResource.")) {
      if (path.startsWith(prefix)) {
        return path.substring(prefix.length());
      }
    }
    return null;
  }

  private static void addTokens(IBase value, List<Token> tokens) {
    if (value instanceof CodeableConcept) {
      for (Coding coding : ((CodeableConcept) value).getCoding()) {
        tokens.add(new Token(coding.getSystem(), coding.getCode()));
      }
    } else if (value instanceof Coding) {
      tokens.add(new Token(((Coding) value).getSystem(), ((Coding) value).getCode()));
    } else if (value instanceof Identifier) {
      tokens.add(new Token(((Identifier) value).getSystem(), ((Identifier) value).getValue()));
    } else if (value instanceof ContactPoint) {
      tokens.add(new Token(null, ((ContactPoint) value).getValue()));
    } else if (value instanceof Enumeration) {
      Enumeration<?> enumeration = (Enumeration<?>) value;
      tokens.add(new Token(enumeration.getSystem(), enumeration.getValueAsString()));
    } else if (value instanceof IPrimitiveType) {
      tokens.add(new Token(null, ((IPrimitiveType<?>) value).getValueAsString()));
    }
  }
}
