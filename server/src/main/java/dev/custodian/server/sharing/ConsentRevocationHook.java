package dev.custodian.server.sharing;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;

/**
 * Keeps a link and its release authorization consistent from the Consent's side: when a Consent
 * recorded with share links stops being active (the patient revokes it, by any path that writes
 * it), its links are revoked in the same request. (Revoking the link makes the Consent inactive:
 * {@link ShareLinkService#revoke}.)
 */
@Interceptor
class ConsentRevocationHook {

  private final ShareLinkService links;

  ConsentRevocationHook(ShareLinkService links) {
    this.links = links;
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource current) {
    if (current instanceof Consent consent && consent.getStatus() != Consent.ConsentState.ACTIVE) {
      links.revokeForConsent("Consent/" + consent.getIdElement().getIdPart());
    }
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource previous) {
    if (previous instanceof Consent consent) {
      links.revokeForConsent("Consent/" + consent.getIdElement().getIdPart());
    }
  }
}
