package dev.custodian.policy;

import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PolicyFacts;
import dev.custodian.policy.facts.ShareGrant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A share link (the patient's, or staff's fulfilling the patient's request): its holder may read and
 * retrieve the images of exactly the records the link names — all of one patient — while the link is
 * neither expired nor revoked. The only rule for a share-link holder; nothing else of the patient,
 * no writes, no history. The permit's basis is the link's release-authorization Consent when one was
 * recorded (AUTHORIZATION), else the patient's right to direct a copy to whom she chooses
 * (RIGHT_OF_ACCESS, 45 CFR 164.524(c)(3)(ii)).
 */
final class ShareLinkRule implements Rule {

  private static final Set<Action> READS = Set.of(Action.READ, Action.VREAD, Action.SEARCH, Action.RETRIEVE_DICOM);

  private final PolicyFacts facts;

  ShareLinkRule(PolicyFacts facts) {
    this.facts = facts;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    String linkId = request.caller().tokenId();
    if (!READS.contains(request.action())) {
      whyNot.add("a share link grants reads only, not " + request.action());
      return null;
    }
    Optional<ShareGrant> found = facts.shareGrant(linkId);
    if (found.isEmpty()) {
      whyNot.add("no share link " + linkId);
      return null;
    }
    ShareGrant grant = found.get();
    String problem = grant.whyNotInForceAt(request.now());
    if (problem != null) {
      whyNot.add(problem);
      return null;
    }
    String reference = request.target().reference();
    if (reference == null || !grant.data().contains(reference) || !request.target().belongsOnlyTo(grant.patient())) {
      whyNot.add("share link " + linkId + " does not name " + request.what());
      return null;
    }
    String reason = "share link " + linkId + " names " + reference;
    if (grant.consentRef() != null) {
      return Decision.permit(Basis.AUTHORIZATION, reason + " under " + grant.consentRef()).withConsent(grant.consentRef());
    }
    return Decision.permit(Basis.RIGHT_OF_ACCESS, reason + ", shared at the patient's direction");
  }
}
