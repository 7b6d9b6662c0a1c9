package dev.custodian.policy.scope;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.HashSet;
import java.util.Set;

/** The default catalog; resource definitions are read from HAPI lazily, the wildcard set once. */
final class BuiltInR4TokenSearchParameters implements TokenSearchParameters {
  static final BuiltInR4TokenSearchParameters INSTANCE = new BuiltInR4TokenSearchParameters();

  private volatile Set<String> commonToAllTypes;

  private BuiltInR4TokenSearchParameters() {}

  @Override
  public boolean isToken(String resourceType, String parameter) {
    if ("*".equals(resourceType)) {
      return commonToAllTypes().contains(parameter);
    }
    if (!R4ResourceTypes.isKnown(resourceType)) {
      return false;
    }
    return isToken(FhirContext.forR4Cached().getResourceDefinition(resourceType), parameter);
  }

  private static boolean isToken(RuntimeResourceDefinition definition, String parameter) {
    RuntimeSearchParam param = definition.getSearchParam(parameter);
    return param != null && param.getParamType() == RestSearchParameterTypeEnum.TOKEN;
  }

  private Set<String> commonToAllTypes() {
    Set<String> common = commonToAllTypes;
    if (common == null) {
      FhirContext context = FhirContext.forR4Cached();
      Set<String> candidates = null;
      for (String type : context.getResourceTypes()) {
        RuntimeResourceDefinition definition = context.getResourceDefinition(type);
        Set<String> tokens = new HashSet<>();
        for (RuntimeSearchParam param : definition.getSearchParams()) {
          if (param.getParamType() == RestSearchParameterTypeEnum.TOKEN) {
            tokens.add(param.getName());
          }
        }
        if (candidates == null) {
          candidates = tokens;
        } else {
          candidates.retainAll(tokens);
        }
      }
      common = candidates == null ? Set.of() : Set.copyOf(candidates);
      commonToAllTypes = common;
    }
    return common;
  }
}
