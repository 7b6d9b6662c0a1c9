package dev.custodian.server.requests;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.policy.enforce.Callers;
import dev.custodian.policy.enforce.HiddenAsMissing;
import dev.custodian.policy.scope.Interaction;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Task;

/**
 * Who may act on a request for copies, asked of the policy decision point: the caller must be
 * authenticated (401), the policy must let them read the request — else it answers exactly as a
 * missing one (404) — and staff actions need the HIM role and a scope that allows updating Tasks
 * (403).
 */
public class CopyRequestAccess {

  private final AccessPolicy policy;
  private final CallerResolver callers;
  private final CopyRequestStore store;

  public CopyRequestAccess(AccessPolicy policy, CallerResolver callers, CopyRequestStore store) {
    this.policy = policy;
    this.callers = callers;
    this.store = store;
  }

  /** A request the caller may see, with the policy's decision about it. */
  public record Visible(Caller caller, Task task, Decision decision) {}

  public Caller caller(RequestDetails request) {
    Caller caller = Callers.resolve(request, callers);
    if (caller == null) {
      throw new AuthenticationException("A valid bearer access token is required.");
    }
    return caller;
  }

  /** The request {@code id} as HIM staff act on it: 401, 404 (hidden or missing), 403 (not HIM). */
  public Visible forStaff(IdType id, RequestDetails request) {
    Caller caller = caller(request);
    Task task = id == null ? null : store.find(id.getIdPart()).orElse(null);
    Decision decision = task == null ? null : policy.decide(caller, Action.READ, task);
    if (decision == null || !decision.isPermitted()) {
      throw HiddenAsMissing.notFound(request);
    }
    requireStaff(caller, Interaction.UPDATE);
    return new Visible(caller, task, decision);
  }

  /** HIM staff whose scopes allow {@code interaction} on Task, else 403. */
  public static void requireStaff(Caller caller, Interaction interaction) {
    if (!caller.has(Role.HIM)) {
      throw Refusals.forbidden("Only health information management staff process requests for copies.");
    }
    if (!caller.scopes().permits(interaction, "Task")) {
      throw Refusals.forbidden("The access token's scopes do not allow " + interaction.name().toLowerCase() + " on Task.");
    }
  }

  public AccessPolicy policy() {
    return policy;
  }
}
