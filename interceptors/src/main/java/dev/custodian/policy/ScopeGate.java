package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.resource.GranularFilterMatcher;
import dev.custodian.policy.resource.Target;
import dev.custodian.policy.scope.FilterRequirement;
import dev.custodian.policy.scope.GranularFilter;
import dev.custodian.policy.scope.Interaction;
import dev.custodian.policy.scope.ScopeContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The first check of every decision: the SMART scopes the caller was granted must permit the
 * interaction on the resource. No basis in the rules can widen what the scopes (which the patient or
 * the organization agreed to) allow.
 *
 * <p>The resource passes if some context whose scopes permit the interaction on its type accepts it:
 *
 * <ul>
 *   <li>{@code patient/} scopes reach only the launch patient's compartment — a resource belonging to
 *       that patient and no other — plus directory and conformance resources, which are not patient
 *       data; with no launch patient they reach no patient data at all;</li>
 *   <li>{@code user/} and {@code system/} scopes reach any resource of the type (the rules then
 *       decide); {@code system/} scopes count only for a system client (no user), and a system
 *       client's other scopes count for nothing;</li>
 *   <li>if every permitting scope of the context is filtered ({@code ?category=…}), the resource must
 *       match one of the filters.</li>
 * </ul>
 */
final class ScopeGate {

  private final GranularFilterMatcher filters;

  ScopeGate(GranularFilterMatcher filters) {
    this.filters = filters;
  }

  /** Null if the scopes let the request through, else why not. */
  String check(Request request) {
    Caller caller = request.caller();
    Target target = request.target();
    Interaction interaction = request.action().interaction();
    Set<ScopeContext> contexts = new java.util.HashSet<>(caller.scopes().permittingContexts(interaction, target.type()));
    // system/ scopes are a system client's, and a system client has no others
    contexts.removeIf(context -> (context == ScopeContext.SYSTEM) != caller.isSystemClient());
    if (contexts.isEmpty()) {
      return "the granted scopes do not permit '" + interaction.letter() + "' on " + target.type();
    }
    List<String> whyNot = new ArrayList<>();
    for (ScopeContext context : contexts) {
      if (context == ScopeContext.PATIENT && !inLaunchContext(caller, target)) {
        whyNot.add("patient/ scopes reach only the launch patient's compartment ("
            + (caller.launchPatient() == null ? "no launch patient" : caller.launchPatientReference())
            + "), and " + request.what() + " belongs to " + describe(target));
        continue;
      }
      FilterRequirement requirement = caller.scopes().filtersFor(context, interaction, target.type());
      if (requirement.isUnrestricted() || matchesAny(requirement.anyOf(), target)) {
        return null;
      }
      whyNot.add(context + "/ scopes on " + target.type() + " are filtered by " + requirement.anyOf()
          + ", which " + request.what() + " does not match");
    }
    return String.join("; ", whyNot);
  }

  private static boolean inLaunchContext(Caller caller, Target target) {
    if (!target.isPatientData()) {
      return target.category().isPublicWithinServer();
    }
    return caller.launchPatient() != null && target.belongsOnlyTo(caller.launchPatientReference());
  }

  private boolean matchesAny(List<GranularFilter> anyOf, Target target) {
    for (GranularFilter filter : anyOf) {
      if (filters.matches(filter, target.resource())) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Target target) {
    return target.isPatientData() ? String.join(", ", target.patients()) : "no patient";
  }
}
