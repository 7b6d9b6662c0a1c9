package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PolicyFacts;
import dev.custodian.policy.facts.ReleaseAuthorization;
import java.util.ArrayList;
import java.util.List;

/**
 * A release authorization (45 CFR 164.508): any caller — typically a {@code THIRD_PARTY}, but this is
 * the fallback for every caller without another basis — may read exactly the records an
 * authorization names, when the authorization
 *
 * <ul>
 *   <li>names the caller as recipient: its {@code fhirUser}, or the organization it belongs to (a
 *       system client's organization);</li>
 *   <li>is active (not revoked, not a draft) and {@code now} is within its period (not expired);</li>
 *   <li>names this resource in its data ({@code ImagingStudy/x}); nothing else of the patient;</li>
 *   <li>lists the caller's purpose of use among its purposes.</li>
 * </ul>
 *
 * A resource belonging to several patients needs such an authorization from each. The permit names
 * the Consent that decided it. A disclosure the patient authorized is exempt from minimum necessary
 * (164.502(b)(2)(iii)): the whole resource. Reads only (including the images of a named study).
 */
final class AuthorizationRule implements Rule {

  private final PolicyFacts facts;

  AuthorizationRule(PolicyFacts facts) {
    this.facts = facts;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    String reference = request.target().reference();
    if (!request.isRead()) {
      whyNot.add("a release authorization grants reads only, not " + request.action());
      return null;
    }
    if (reference == null) {
      whyNot.add("a release authorization names records by id, and this one has none");
      return null;
    }
    List<String> recipients = new ArrayList<>();
    if (caller.fhirUser() != null) {
      recipients.add(caller.fhirUser());
    }
    if (caller.organization() != null) {
      recipients.add(caller.organization());
    }
    List<String> consents = new ArrayList<>();
    for (String patient : request.target().patients()) {
      ReleaseAuthorization found = inForce(recipients, patient, request, whyNot);
      if (found == null) {
        return null;
      }
      consents.add(found.consentId());
    }
    return Decision.permit(
            Basis.AUTHORIZATION,
            String.join(", ", consents) + " authorizes release of " + reference + " to " + request.who()
                + " for " + caller.purpose())
        .withConsent(consents.get(0));
  }

  private ReleaseAuthorization inForce(List<String> recipients, String patient, Request request, List<String> whyNot) {
    String reference = request.target().reference();
    List<String> problems = new ArrayList<>();
    for (String recipient : recipients) {
      for (ReleaseAuthorization authorization : facts.releaseAuthorizations(recipient, patient)) {
        String problem = authorization.whyNotInForceAt(request.now());
        if (problem == null && !authorization.covers(reference)) {
          problem = authorization.consentId() + " does not name " + reference;
        }
        if (problem == null && !authorization.purposes().contains(request.caller().purpose())) {
          problem = authorization.consentId() + " is not for purpose " + request.caller().purpose();
        }
        if (problem == null) {
          return authorization;
        }
        problems.add(problem);
      }
    }
    whyNot.add(problems.isEmpty()
        ? "no release authorization of " + patient + " names " + String.join(" or ", recipients)
        : String.join("; ", problems));
    return null;
  }
}
