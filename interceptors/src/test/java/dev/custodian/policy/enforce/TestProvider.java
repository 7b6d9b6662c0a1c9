package dev.custodian.policy.enforce;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * HAPI's in-memory provider (read, vread, history, create, update, delete — firing the storage
 * pointcuts) with a small search that, like the JPA server, returns {@code _include}d and
 * {@code _revinclude}d resources next to the matches. Matches pass through HAPI's
 * STORAGE_PREACCESS/PRESHOW hooks exactly as the provider's own search does; included resources are
 * returned unfiltered, so only the consent hooks on the outgoing response stand between them and the
 * client.
 */
final class TestProvider<T extends Resource> extends HashMapResourceProvider<T> {

  private final Map<String, Function<T, List<Reference>>> references = new LinkedHashMap<>();
  private final Map<String, TestProvider<?>> registry;

  TestProvider(FhirContext context, Class<T> type, Map<String, TestProvider<?>> registry) {
    super(context, type);
    this.registry = registry;
    registry.put(context.getResourceType(type), this);
  }

  /** Declares search parameter {@code name} as the references {@code path} returns. */
  TestProvider<T> reference(String name, Function<T, List<Reference>> path) {
    references.put(name, path);
    return this;
  }

  /** Not a search method here: {@link #search} replaces it. */
  @Override
  public synchronized IBundleProvider searchAll(RequestDetails request) {
    return super.searchAll(request);
  }

  @Search
  public List<IBaseResource> search(
      @OptionalParam(name = "_id") TokenParam id,
      @OptionalParam(name = "patient") ReferenceParam patient,
      @OptionalParam(name = "subject") ReferenceParam subject,
      @IncludeParam Set<Include> includes,
      @IncludeParam(reverse = true) Set<Include> revIncludes,
      RequestDetails request) {
    List<T> matches = new ArrayList<>();
    for (T resource : getStoredResources()) {
      if (id != null && !id.getValue().equals(resource.getIdElement().getIdPart())) {
        continue;
      }
      if (patient != null && !refersTo(resource, "patient", "Patient/" + patient.getIdPart())) {
        continue;
      }
      if (subject != null && !refersTo(resource, "subject", subject.getResourceType() == null
          ? "Patient/" + subject.getIdPart() : subject.getResourceType() + "/" + subject.getIdPart())) {
        continue;
      }
      matches.add(resource);
    }
    List<IBaseResource> result = new ArrayList<>(fireInterceptorsAndFilterAsNeeded(matches, request));
    for (Include include : includes == null ? Set.<Include>of() : includes) {
      for (T match : matches) {
        for (Reference reference : refs(match, include.getParamName())) {
          Resource target = find(reference.getReference());
          if (target != null) {
            result.add(asIncluded(target));
          }
        }
      }
    }
    for (Include include : revIncludes == null ? Set.<Include>of() : revIncludes) {
      TestProvider<?> source = registry.get(include.getParamType());
      if (source != null) {
        for (Resource candidate : source.getStoredResources()) {
          for (T match : matches) {
            if (source.refersTo(candidate, include.getParamName(), type(match) + "/" + match.getIdElement().getIdPart())) {
              result.add(asIncluded(candidate));
            }
          }
        }
      }
    }
    return result;
  }

  private static String type(Resource resource) {
    return resource.fhirType();
  }

  @SuppressWarnings("unchecked")
  private List<Reference> refs(Resource resource, String name) {
    Function<T, List<Reference>> path = references.get(name);
    return path == null ? List.of() : path.apply((T) resource);
  }

  private boolean refersTo(Resource resource, String name, String target) {
    return refs(resource, name).stream().anyMatch(r -> target.equals(r.getReferenceElement().toUnqualifiedVersionless().getValue()));
  }

  private Resource find(String reference) {
    if (reference == null || !reference.contains("/")) {
      return null;
    }
    TestProvider<?> provider = registry.get(reference.substring(0, reference.indexOf('/')));
    if (provider == null) {
      return null;
    }
    String idPart = reference.substring(reference.indexOf('/') + 1);
    for (Resource resource : provider.getStoredResources()) {
      if (resource.getIdElement().getIdPart().equals(idPart)) {
        return resource;
      }
    }
    return null;
  }

  private static Resource asIncluded(Resource stored) {
    Resource copy = stored.copy();
    ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(copy, BundleEntrySearchModeEnum.INCLUDE);
    return copy;
  }
}
