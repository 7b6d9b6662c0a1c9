package dev.custodian.policy.minimum;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import dev.custodian.policy.caller.PurposeOfUse;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseCoding;
import org.hl7.fhir.instance.model.api.IBaseMetaType;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A minimum-necessary view of a resource for one purpose: a copy holding only the
 * {@linkplain ElementSet#keeps kept} top-level elements (never the narrative, never contained
 * resources), labelled with {@code meta.security} {@value #SUBSETTED} and {@value #REDACTED} of
 * {@value #SECURITY_SYSTEM} so that a recipient knows it is not the whole record.
 *
 * <p>The stored resource is never modified: {@link #apply} works on a deep copy, and builds the result
 * from the allowed elements only (an allowlist), so an element the set does not name cannot slip
 * through.
 *
 * @param purpose the purpose of use the set belongs to
 * @param elements the element set applied
 */
public record Projection(PurposeOfUse purpose, ElementSet elements) {

  /** The code system of the integrity labels. */
  public static final String SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
  /** Label: the resource is a subset of the stored one. */
  public static final String SUBSETTED = "SUBSETTED";
  /** Label: information was removed. */
  public static final String REDACTED = "REDACTED";

  public Projection {
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(elements, "elements");
    if (elements.whole()) {
      throw new IllegalArgumentException("a whole-resource set is not a projection");
    }
  }

  /**
   * A projected copy of {@code resource}.
   *
   * @throws IllegalArgumentException if the resource is not of the set's type
   */
  public IBaseResource apply(IBaseResource resource) {
    FhirContext context = FhirContext.forR4Cached();
    RuntimeResourceDefinition definition = context.getResourceDefinition(resource);
    if (!definition.getName().equals(elements.resourceType())) {
      throw new IllegalArgumentException(
          "a projection of " + elements.resourceType() + " cannot apply to " + definition.getName());
    }
    IBaseResource copy = context.newTerser().clone(resource);
    IBaseResource projected = (IBaseResource) definition.newInstance();
    for (BaseRuntimeChildDefinition child : definition.getChildren()) {
      if (!elements.keeps(child.getElementName())) {
        continue;
      }
      for (IBase value : child.getAccessor().getValues(copy)) {
        child.getMutator().addValue(projected, value);
      }
    }
    projected.setId(copy.getIdElement());
    IBaseMetaType meta = projected.getMeta();
    label(meta, SUBSETTED, "subsetted");
    label(meta, REDACTED, "redacted");
    return projected;
  }

  private static void label(IBaseMetaType meta, String code, String display) {
    for (IBaseCoding existing : meta.getSecurity()) {
      if (SECURITY_SYSTEM.equals(existing.getSystem()) && code.equals(existing.getCode())) {
        return;
      }
    }
    meta.addSecurity().setSystem(SECURITY_SYSTEM).setCode(code).setDisplay(display);
  }

  @Override
  public String toString() {
    return purpose + " " + elements;
  }
}
