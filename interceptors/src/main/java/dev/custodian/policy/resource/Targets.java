package dev.custodian.policy.resource;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/** Builds the {@link Target} of a decision from a resource. */
public final class Targets {

  private final FhirContext context;
  private final PatientCompartment compartment;

  public Targets(FhirContext context) {
    this.context = context;
    this.compartment = new PatientCompartment(context);
  }

  public Target of(IBaseResource resource) {
    String type = context.getResourceType(resource);
    IIdType id = resource.getIdElement();
    String reference = id != null && id.hasIdPart() && !id.hasBaseUrl() && References.isId(id.getIdPart())
        ? type + "/" + id.getIdPart()
        : null;
    ResourceCategory category = ReviewQueue.isReviewItem(resource) ? ResourceCategory.OVERSIGHT : ResourceCategory.of(type);
    return new Target(resource, type, reference, compartment.owners(resource), category);
  }
}
