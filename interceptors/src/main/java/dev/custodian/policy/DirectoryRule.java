package dev.custodian.policy;

import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.resource.Target;
import java.util.List;

/**
 * Resources in no patient's compartment. Directory resources (Organization, Practitioner,
 * PractitionerRole, Location, Endpoint, HealthcareService) and conformance resources
 * (StructureDefinition, ValueSet, CapabilityStatement, ...) are not protected health information:
 * any authenticated caller whose scopes permit the type may read them (basis {@link Basis#NONE}).
 * They are maintained by the server's administrators, not written through the API. Any other
 * resource without an owning patient — a clinical record whose patient cannot be determined — is
 * denied to everyone.
 */
final class DirectoryRule implements Rule {

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Target target = request.target();
    if (!target.category().isPublicWithinServer()) {
      whyNot.add(request.what() + " belongs to no patient, and " + target.type()
          + " is not a directory or conformance resource");
      return null;
    }
    if (request.action().isWrite()) {
      whyNot.add(target.type() + " is maintained by administrators, not written through the API");
      return null;
    }
    return Decision.permit(Basis.NONE, target.type() + " is a " + target.category().name().toLowerCase()
        + " resource, not protected health information");
  }
}
