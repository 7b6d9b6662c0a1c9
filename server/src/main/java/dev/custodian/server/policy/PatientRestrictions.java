package dev.custodian.server.policy;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.facts.PatientRestriction;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;

/**
 * Reads a patient's restriction out of a Consent: an active Consent whose (top-level) provision is
 * {@code deny} and names at least one actor it restricts. Nested provisions are not read. A Consent
 * that is not such a restriction restricts nothing.
 */
final class PatientRestrictions {

  private PatientRestrictions() {}

  static PatientRestriction fromConsent(Consent consent) {
    Consent.ProvisionComponent provision = consent.getProvision();
    if (consent.getStatus() != Consent.ConsentState.ACTIVE
        || provision.getType() != Consent.ConsentProvisionType.DENY
        || !consent.getPatient().hasReference()) {
      return null;
    }
    Set<String> actors = new LinkedHashSet<>();
    provision.getActor().forEach(actor -> {
      Reference reference = actor.getReference();
      if (reference.hasReference()) {
        actors.add(reference.getReference().replaceAll("/_history/.*$", ""));
      }
    });
    Set<String> data = ReleaseAuthorizations.data(provision);
    Set<PurposeOfUse> purposes = ReleaseAuthorizations.purposes(provision);
    if (actors.isEmpty()) {
      return null; // whom it restricts is missing
    }
    if (purposes.size() < provision.getPurpose().size()) {
      purposes.clear(); // a purpose we cannot read: restrict every purpose rather than too few
    }
    try {
      return new PatientRestriction(
          "Consent/" + consent.getIdElement().getIdPart(),
          consent.getPatient().getReference(),
          actors,
          data,
          purposes,
          provision.getPeriod().hasStart() ? provision.getPeriod().getStart().toInstant() : null,
          provision.getPeriod().hasEnd() ? provision.getPeriod().getEnd().toInstant() : null);
    } catch (IllegalArgumentException | NullPointerException e) {
      return null; // malformed references: restricts nothing
    }
  }
}
