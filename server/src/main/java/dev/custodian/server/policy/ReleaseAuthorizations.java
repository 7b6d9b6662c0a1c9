package dev.custodian.server.policy;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.facts.AuthorizationStatus;
import dev.custodian.policy.facts.ReleaseAuthorization;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;

/**
 * Reads a release authorization out of a Consent: a permit provision whose actor is the recipient,
 * whose data names the records, with purposes and an expiry. A Consent missing any of these is not
 * an authorization (it authorizes nothing).
 */
final class ReleaseAuthorizations {

  private ReleaseAuthorizations() {}

  static ReleaseAuthorization fromConsent(Consent consent, String recipient) {
    Consent.ProvisionComponent provision = consent.getProvision();
    if (provision.getType() != Consent.ConsentProvisionType.PERMIT) {
      return null;
    }
    boolean names = provision.getActor().stream()
        .map(Consent.provisionActorComponent::getReference)
        .map(Reference::getReference)
        .anyMatch(recipient::equals);
    Set<String> data = data(provision);
    Set<PurposeOfUse> purposes = purposes(provision);
    if (!names || data.isEmpty() || purposes.isEmpty() || !provision.getPeriod().hasEnd()
        || !consent.getPatient().hasReference()) {
      return null;
    }
    try {
      return new ReleaseAuthorization(
          "Consent/" + consent.getIdElement().getIdPart(),
          consent.getPatient().getReference(),
          recipient,
          data,
          purposes,
          provision.getPeriod().hasStart() ? provision.getPeriod().getStart().toInstant() : null,
          provision.getPeriod().getEnd().toInstant(),
          status(consent.getStatus()));
    } catch (IllegalArgumentException | NullPointerException e) {
      return null; // malformed: authorizes nothing
    }
  }

  /** The records a provision names ({@code provision.data}), versionless. */
  static Set<String> data(Consent.ProvisionComponent provision) {
    Set<String> data = new LinkedHashSet<>();
    provision.getData().forEach(d -> {
      String reference = d.getReference().getReference();
      if (reference != null) {
        data.add(reference.replaceAll("/_history/.*$", ""));
      }
    });
    return data;
  }

  /** The purposes of use a provision names that this server knows ({@code provision.purpose}). */
  static Set<PurposeOfUse> purposes(Consent.ProvisionComponent provision) {
    Set<PurposeOfUse> purposes = EnumSet.noneOf(PurposeOfUse.class);
    provision.getPurpose().forEach(p -> {
      if (PurposeOfUse.SYSTEM.equals(p.getSystem())) {
        PurposeOfUse.fromCode(p.getCode()).ifPresent(purposes::add);
      }
    });
    return purposes;
  }

  /** R4 has no "revoked": a Consent made inactive after it was active is a revocation. */
  static AuthorizationStatus status(Consent.ConsentState state) {
    if (state == null) {
      return AuthorizationStatus.INACTIVE;
    }
    return switch (state) {
      case ACTIVE -> AuthorizationStatus.ACTIVE;
      case INACTIVE -> AuthorizationStatus.REVOKED;
      default -> AuthorizationStatus.INACTIVE;
    };
  }
}
