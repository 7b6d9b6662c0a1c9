package dev.custodian.server.sharing;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.resource.References;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * The release-authorization Consent of a link for a named third party: active, the patient's, a
 * permit provision naming the recipient (actor, role IRCP), exactly the shared records (data), the
 * purpose and the link's validity (period) — what {@code ReleaseAuthorizations} reads as an
 * authorization. It carries the link's id as an identifier. Written and revoked as the server.
 */
class ReleaseAuthorizationConsents {

  /** The identifier system of the share link a Consent was recorded for. */
  static final String SHARE_LINK_SYSTEM = "https://custodian.dev/fhir/sid/share-link";
  private static final Set<String> RECIPIENT_TYPES =
      Set.of("Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "Patient", "Person");

  private final DaoRegistry daos;

  ReleaseAuthorizationConsents(DaoRegistry daos) {
    this.daos = daos;
  }

  /** The recipient as a reference to an existing person or organization, else a 400. */
  String requireRecipient(String recipient) {
    String ref = recipient.strip();
    if (!References.isReference(ref) || !RECIPIENT_TYPES.contains(References.typeOf(ref))) {
      throw ShareLinkException.badRequest("recipient must reference a " + String.join(", ", RECIPIENT_TYPES.stream().sorted().toList()));
    }
    try {
      daos.getResourceDao(References.typeOf(ref)).read(new IdType(ref), new SystemRequestDetails());
    } catch (BaseServerResponseException missing) {
      throw ShareLinkException.badRequest("recipient " + ref + " does not exist on this server");
    }
    return ref;
  }

  /** Records the authorization; returns {@code Consent/id}. */
  String record(UUID linkId, String patient, String recipient, List<String> data, PurposeOfUse purpose,
      Instant start, Instant end) {
    Consent consent = new Consent();
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.addIdentifier(new Identifier().setSystem(SHARE_LINK_SYSTEM).setValue(linkId.toString()));
    consent.setScope(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "64292-6", "Release of information consent")));
    consent.setPatient(new Reference(patient));
    consent.setDateTime(Date.from(start));
    consent.setPolicyRule(new CodeableConcept(new Coding(
        "http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in")));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.PERMIT);
    provision.setPeriod(new Period().setStart(Date.from(start)).setEnd(Date.from(end)));
    provision.addActor()
        .setRole(new CodeableConcept(new Coding(
            "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")))
        .setReference(new Reference(recipient));
    provision.addPurpose(new Coding(PurposeOfUse.SYSTEM, purpose.code(), purpose.display()));
    for (String reference : data) {
      provision.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE).setReference(new Reference(reference));
    }
    IdType id = (IdType) daos.getResourceDao(Consent.class).create(consent, new SystemRequestDetails()).getId();
    return "Consent/" + id.getIdPart();
  }

  /** Makes the Consent inactive (a revocation), unless it already is. */
  void revoke(String consentRef) {
    var dao = daos.getResourceDao(Consent.class);
    Consent consent;
    try {
      consent = dao.read(new IdType(consentRef), new SystemRequestDetails());
    } catch (BaseServerResponseException gone) {
      return;
    }
    if (consent.getStatus() == Consent.ConsentState.ACTIVE) {
      consent.setStatus(Consent.ConsentState.INACTIVE);
      dao.update(consent, new SystemRequestDetails());
    }
  }
}
