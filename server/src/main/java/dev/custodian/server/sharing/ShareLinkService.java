package dev.custodian.server.sharing;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import dev.custodian.audit.AccessedResource;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import dev.custodian.policy.resource.References;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Creates, lists, reissues and revokes share links. Creation is decided by the policy decision point: the
 * creator must be permitted to read (whole, not a projection) and to retrieve the images of every
 * named ImagingStudy, all of one patient; the link also shares the DiagnosticReports on those studies
 * that the creator may read whole. A study that does not exist and one the creator may not share are
 * refused alike (404). Every creation and revocation is audited.
 */
public class ShareLinkService {

  /** The path of a link: {@code /share/{token}}. */
  public static final String PATH = "/share/";
  private static final Pattern PIN = Pattern.compile("[0-9]{4,12}");
  private static final int MAX_STUDIES = 50;

  private final ShareLinkStore store;
  private final AccessPolicy policy;
  private final DaoRegistry daos;
  private final ReleaseAuthorizationConsents consents;
  private final ShareLinkEvents events;
  private final ShareLinkProperties properties;
  private final PasswordEncoder pins;
  private final String baseUrl;
  private final Clock clock;

  ShareLinkService(ShareLinkStore store, AccessPolicy policy, DaoRegistry daos, ReleaseAuthorizationConsents consents,
      ShareLinkEvents events, ShareLinkProperties properties, PasswordEncoder pins, String baseUrl, Clock clock) {
    this.store = store;
    this.policy = policy;
    this.daos = daos;
    this.consents = consents;
    this.events = events;
    this.properties = properties;
    this.pins = pins;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  /**
   * Creates a share link of {@code studies} (and their reports) of {@code patient} for
   * {@code creator}.
   *
   * @param creator who creates it (a patient for her own studies, or staff permitted to read them)
   * @param patient {@code Patient/id} (or the bare id)
   * @param studies {@code ImagingStudy/id} references (or bare ids), at least one
   * @param expiresAt required; after now and at most {@code custodian.share.max-expiry} away
   * @param maxUses null for 1; at most {@code custodian.share.max-uses}
   * @param recipientLabel who it is for, as the owner will recognise it (shown on the link page), or null
   * @param purpose a v3 ActReason purpose of use code, or null for PATRQT (at the patient's request)
   * @param pin null, or 4–12 digits the recipient must enter
   * @throws ShareLinkException 400 for bad input, 404 for a study or patient that does not exist or
   *     that the creator may not share
   */
  public CreatedLink create(Caller creator, String patient, List<String> studies, Instant expiresAt,
      Integer maxUses, String recipientLabel, String purpose, String pin) {
    return create(creator, patient, studies, expiresAt, maxUses, recipientLabel, purpose, pin, null);
  }

  /**
   * As {@link #create(Caller, String, List, Instant, Integer, String, String, String)}, for a named
   * third party {@code recipient} ({@code Practitioner/x}, {@code Organization/y}, {@code RelatedPerson/z}
   * …, existing on this server): the link's release authorization is recorded as an active Consent
   * (recipient, data, purpose, expiry), revoked together with the link.
   */
  public CreatedLink create(Caller creator, String patient, List<String> studies, Instant expiresAt,
      Integer maxUses, String recipientLabel, String purpose, String pin, String recipient) {
    Instant now = clock.instant();
    String patientRef = reference("Patient", patient, "patient");
    if (studies == null || studies.isEmpty() || studies.size() > MAX_STUDIES) {
      throw ShareLinkException.badRequest("studies: name 1 to " + MAX_STUDIES + " ImagingStudies");
    }
    if (expiresAt == null) {
      throw ShareLinkException.badRequest("expiresAt is required");
    }
    // whole seconds, as the release-authorization Consent's period records it
    expiresAt = expiresAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(properties.maxExpiry()))) {
      throw ShareLinkException.badRequest("expiresAt must be in the future and at most " + properties.maxExpiry()
          + " from now");
    }
    int uses = maxUses == null ? 1 : maxUses;
    if (uses < 1 || uses > properties.maxUses()) {
      throw ShareLinkException.badRequest("maxUses must be from 1 to " + properties.maxUses());
    }
    recipientLabel = text(recipientLabel, 200, "recipientLabel");
    PurposeOfUse purposeOfUse = purpose == null || purpose.isBlank() ? PurposeOfUse.PATRQT
        : PurposeOfUse.fromCode(purpose.strip())
            .orElseThrow(() -> ShareLinkException.badRequest("purpose must be a v3 ActReason purpose of use code such as PATRQT or TREAT"));
    if (pin != null && !PIN.matcher(pin).matches()) {
      throw ShareLinkException.badRequest("pin must be 4 to 12 digits");
    }
    String recipientRef = recipient == null || recipient.isBlank() ? null : consents.requireRecipient(recipient);

    List<String> studyRefs = new ArrayList<>();
    Set<String> data = new LinkedHashSet<>();
    List<AccessedResource> decided = new ArrayList<>();
    for (String study : studies) {
      String ref = reference("ImagingStudy", study, "studies");
      ImagingStudy resource = read(ImagingStudy.class, ref)
          .filter(found -> patientRef.equals(found.getSubject().getReference()))
          .orElseThrow(() -> ShareLinkException.notFound("No such study: " + ref));
      Decision read = policy.decide(creator, Action.READ, resource);
      Decision images = policy.decide(creator, Action.RETRIEVE_DICOM, resource);
      decided.add(AccessedResource.of(ref, images, patientRef));
      if (read.effect() != Effect.PERMIT || images.effect() != Effect.PERMIT) {
        events.creationRefused(creator, patientRef, decided);
        throw ShareLinkException.notFound("No such study: " + ref);
      }
      if (!data.contains(ref)) {
        studyRefs.add(ref);
        data.add(ref);
      }
      for (DiagnosticReport report : reportsOn(patientRef, ref)) {
        Decision decision = policy.decide(creator, Action.READ, report);
        if (decision.effect() == Effect.PERMIT) {
          String reportRef = "DiagnosticReport/" + report.getIdElement().getIdPart();
          data.add(reportRef);
          decided.add(AccessedResource.of(reportRef, decision, patientRef));
        }
      }
    }

    UUID id = UUID.randomUUID();
    String token = ShareTokens.newToken();
    String consent = recipientRef == null ? null
        : consents.record(id, patientRef, recipientRef, List.copyOf(data), purposeOfUse, now, expiresAt);
    ShareLink link = new ShareLink(id, patientRef, List.copyOf(studyRefs), List.copyOf(data), creatorOf(creator),
        creator.clientId(), now, expiresAt, uses, 0, recipientLabel, recipientRef, purposeOfUse.code(),
        pin == null ? null : pins.encode(pin), 0, consent, null, null);
    store.insert(link, ShareTokens.hash(token));
    events.created(creator, link, decided);
    return new CreatedLink(id, baseUrl + PATH + token, expiresAt, link);
  }

  /**
   * The links {@code owner} created, and for a patient (or her personal representative) the links of
   * her records; recorded in the audit trail before they are returned (a {@link ShareLinkException}
   * with status 500 when that record cannot be written).
   */
  public List<ShareLink> list(Caller owner) {
    List<ShareLink> found = store.ownedBy(creatorOf(owner), patientOf(owner));
    // the list tells which of a patient's records went to whom: recorded before it is answered
    Map<String, List<ShareLink>> byPatient = new LinkedHashMap<>();
    found.forEach(link -> byPatient.computeIfAbsent(link.patient(), p -> new ArrayList<>()).add(link));
    try {
      events.listed(owner, byPatient);
    } catch (RuntimeException notRecorded) {
      throw ShareLinkException.notRecorded(notRecorded);
    }
    return found;
  }

  /**
   * The patient whose links {@code caller} manages: a patient's own record, or the launch patient of a
   * personal representative while the policy grants the representative her right of access; else null.
   */
  public String patientOf(Caller caller) {
    if (caller.has(Role.PATIENT) && caller.fhirUser() != null && caller.fhirUser().startsWith("Patient/")) {
      return caller.fhirUser();
    }
    String represented = caller.launchPatient() == null ? null : "Patient/" + caller.launchPatient();
    return represented != null && speaksFor(caller, represented) ? represented : null;
  }

  /**
   * Whether {@code caller} exercises {@code patient}'s right of access: the patient herself, or a
   * personal representative the policy decision point grants it (an active representative
   * relationship, within its period, and scopes that reach her record).
   */
  boolean speaksFor(Caller caller, String patient) {
    if (caller.has(Role.PATIENT)) {
      return patient.equals(caller.fhirUser());
    }
    if (!caller.has(Role.REPRESENTATIVE) || !References.isReference(patient) || !patient.startsWith("Patient/")) {
      return false;
    }
    Patient record = new Patient();
    record.setId(new IdType(patient));
    Decision decision = policy.decide(caller, Action.READ, record);
    return decision.isPermitted() && decision.basis() == Basis.RIGHT_OF_ACCESS;
  }

  /**
   * Revokes a link its owner (creator, or the patient whose records it shares, or her personal
   * representative) names; effective at
   * once on every node. Revoking a link recorded with a release authorization makes that Consent
   * inactive.
   *
   * @throws ShareLinkException 404 when there is no such link or it is not the caller's
   */
  public ShareLink revoke(Caller owner, String linkId) {
    UUID id = parseId(linkId);
    ShareLink link = id == null ? null : store.byId(id).orElse(null);
    if (link == null || !(isOwner(owner, link) || speaksFor(owner, link.patient()))) {
      throw ShareLinkException.notFound("No such share link.");
    }
    if (store.revoke(id, clock.instant(), "revoked by " + creatorOf(owner))) {
      events.revoked(owner, link, "revoked by its owner");
      if (link.consent() != null) {
        consents.revoke(link.consent());
      }
    }
    return store.byId(id).orElseThrow();
  }

  /**
   * A fresh token for a link still in force (not revoked, expired or used up): the stored hash is
   * replaced in one conditional UPDATE, so the old token stops working at once, and the new URL is
   * returned this once (it is not stored); sessions opened with the old token end at once. Only the
   * patient whose records the link shares (or her personal representative) may reissue it — not its
   * creator when that is someone else (e.g. the HIM staff member who made it
   * for her right-of-access request, or a clinician): the URL is hers to hand out. Audited.
   *
   * @throws ShareLinkException 404 alike for a malformed or unknown id, a link that is not the
   *     caller's, and one no longer in force
   */
  public CreatedLink reissue(Caller owner, String linkId) {
    UUID id = parseId(linkId);
    ShareLink link = id == null ? null : store.byId(id).orElse(null);
    if (link == null || !speaksFor(owner, link.patient())) {
      throw ShareLinkException.notFound("No such share link.");
    }
    String token = ShareTokens.newToken();
    if (!store.replaceTokenHash(id, ShareTokens.hash(token), clock.instant())) {
      throw ShareLinkException.notFound("No such share link.");
    }
    events.reissued(owner, link);
    return new CreatedLink(id, baseUrl + PATH + token, link.expiresAt(), link);
  }

  /** Revokes the links recorded with {@code consent}, which was made inactive (called by the storage hook). */
  void revokeForConsent(String consent) {
    for (UUID id : store.revokeByConsent(consent, clock.instant(), consent + " was made inactive")) {
      store.byId(id).ifPresent(link -> events.revoked(null, link, consent + " was made inactive"));
    }
  }

  static boolean isOwner(Caller caller, ShareLink link) {
    String who = creatorOf(caller);
    return who.equals(link.creator()) || who.equals(link.patient());
  }

  static UUID parseId(String linkId) {
    try {
      return linkId == null ? null : UUID.fromString(linkId);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }

  /** The owner of links a caller creates: the fhirUser, or a system client's organization and client. */
  static String creatorOf(Caller caller) {
    return caller.fhirUser() != null ? caller.fhirUser() : "client:" + caller.clientId();
  }

  private List<DiagnosticReport> reportsOn(String patient, String study) {
    SearchParameterMap query = SearchParameterMap.newSynchronous()
        .add(DiagnosticReport.SP_SUBJECT, new ReferenceParam(patient));
    List<DiagnosticReport> reports = new ArrayList<>();
    for (IBaseResource resource : daos.getResourceDao(DiagnosticReport.class).search(query, new SystemRequestDetails())
        .getAllResources()) {
      DiagnosticReport report = (DiagnosticReport) resource;
      boolean onStudy = report.getImagingStudy().stream().map(Reference::getReference)
          .anyMatch(r -> r != null && study.equals(r.replaceAll("/_history/.*$", "")));
      if (onStudy) {
        reports.add(report);
      }
    }
    return reports;
  }

  private <T extends IBaseResource> Optional<T> read(Class<T> type, String reference) {
    try {
      return Optional.of(daos.getResourceDao(type).read(new IdType(reference), new SystemRequestDetails()));
    } catch (BaseServerResponseException missingOrGone) {
      return Optional.empty();
    }
  }

  /** {@code Type/id} from a reference or a bare id of {@code type}. */
  private static String reference(String type, String value, String field) {
    String ref = value == null ? null : value.strip();
    if (ref != null && !ref.contains("/")) {
      ref = type + "/" + ref;
    }
    if (ref == null || !References.isReference(ref) || !ref.startsWith(type + "/")) {
      throw ShareLinkException.badRequest(field + ": expected " + type + " references such as " + type + "/example");
    }
    return ref;
  }

  private static String text(String value, int max, String field) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String stripped = value.strip();
    if (stripped.length() > max || stripped.chars().anyMatch(Character::isISOControl)) {
      throw ShareLinkException.badRequest(field + " must be at most " + max + " characters of text");
    }
    return stripped;
  }
}
