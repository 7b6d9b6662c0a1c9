package dev.custodian.policy;

import ca.uhn.fhir.context.FhirContext;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.caller.ShareLinkHolders;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import dev.custodian.policy.facts.PolicyFacts;
import dev.custodian.policy.minimum.MinimumNecessary;
import dev.custodian.policy.resource.CopyRequests;
import dev.custodian.policy.resource.GranularFilterMatcher;
import dev.custodian.policy.resource.ResourceCategory;
import dev.custodian.policy.resource.ReviewQueue;
import dev.custodian.policy.resource.Target;
import dev.custodian.policy.resource.Targets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The policy decision point: the one place that decides who may see or change what. Every path to
 * data asks {@link #decide} about every resource that would leave (or enter) the server, and records
 * the answer in the audit trail. Thread-safe; decisions depend only on the caller, the action, the
 * resource, the facts and the clock.
 *
 * <h2>How a decision is made (deny by default)</h2>
 *
 * <ol>
 *   <li>DICOM retrieval is only about an ImagingStudy.</li>
 *   <li>AuditEvent: writes are denied to everyone; reads need a scope naming AuditEvent and the
 *       auditor or privacy officer role ({@link OversightRule}).</li>
 *   <li>The break-the-glass review queue (Tasks with the review code, see
 *       {@link dev.custodian.policy.resource.ReviewQueue}): after the scopes, {@link OversightRule} —
 *       auditors and privacy officers read them and update them; nobody else sees them.</li>
 *   <li>{@link ScopeGate}: the granted SMART scopes must permit the interaction on the type,
 *       {@code patient/} scopes only within the launch patient's compartment, granular filters
 *       matched.</li>
 *   <li>A resource in no patient's compartment: {@link DirectoryRule}.</li>
 *   <li>A resource of a patient the server cannot identify locally: denied.</li>
 *   <li>The caller's purpose of use selects the rule: PATRQT {@link RightOfAccessRule}, TREAT
 *       {@link TreatmentRule}, ETREAT/BTG {@link EmergencyRule}, HPAYMT {@link PaymentRule}, HOPERAT
 *       {@link OperationsRule}, PUBHLTH/HLEGAL {@link LawRule}; a clinician acting for treatment
 *       without a care relationship may still read under a break-the-glass grant in force
 *       ({@link EmergencyRule}); if none of these permits, a release authorization may
 *       ({@link AuthorizationRule}). A share link's holder is judged by {@link ShareLinkRule} alone.</li>
 *   <li>A patient's request for copies, and the notices about it ({@link CopyRequests}):
 *       {@link CopyRequestRule} — the patient and HIM staff read them, nobody writes them through the API. HIM staff fulfilling an open,
 *       identity-verified request read the records it names whole ({@link CopyFulfilmentRule}).</li>
 *   <li>A patient's restriction (an active deny Consent) overrides a permit for treatment, payment,
 *       operations or a release authorization that it targets ({@link RestrictionOverride}).</li>
 *   <li>DICOM retrieval is denied under a projection: images cannot be reduced to a minimum-necessary
 *       element set.</li>
 * </ol>
 *
 * A denial's reason collects why each step refused, for the audit trail; it is never shown to the
 * client, to whom a denied resource does not exist.
 */
public final class AccessPolicy {

  private final Clock clock;
  private final Targets targets;
  private final ScopeGate scopes;
  private final Rule oversight = new OversightRule();
  private final Rule directory = new DirectoryRule();
  private final Rule authorization;
  private final Rule emergency;
  private final Rule copyRequests;
  private final Rule copyFulfilment;
  private final Rule shareLinks;
  private final RestrictionOverride restrictions;
  private final Map<PurposeOfUse, Rule> byPurpose = new EnumMap<>(PurposeOfUse.class);

  /**
   * @param facts the relationships, coverage and authorizations, answered by the server
   * @param minimumNecessary the element sets per purpose
   * @param settings the encounter window
   * @param clock the time decisions are made at
   */
  public AccessPolicy(PolicyFacts facts, MinimumNecessary minimumNecessary, PolicySettings settings, Clock clock) {
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(minimumNecessary, "minimumNecessary");
    Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    FhirContext context = FhirContext.forR4Cached();
    this.targets = new Targets(context);
    this.scopes = new ScopeGate(new GranularFilterMatcher(context));
    this.authorization = new AuthorizationRule(facts);
    this.restrictions = new RestrictionOverride(facts);
    LimitedDisclosure limited = new LimitedDisclosure(minimumNecessary);
    Rule law = new LawRule(limited);
    this.emergency = new EmergencyRule(facts);
    Rule rightOfAccess = new RightOfAccessRule(facts);
    this.copyRequests = new CopyRequestRule(rightOfAccess);
    this.copyFulfilment = new CopyFulfilmentRule(facts);
    byPurpose.put(PurposeOfUse.PATRQT, rightOfAccess);
    this.shareLinks = new ShareLinkRule(facts);
    byPurpose.put(PurposeOfUse.TREAT, new TreatmentRule(facts, settings.encounterWindow(), context));
    byPurpose.put(PurposeOfUse.ETREAT, emergency);
    byPurpose.put(PurposeOfUse.BTG, emergency);
    byPurpose.put(PurposeOfUse.HPAYMT, new PaymentRule(facts, limited));
    byPurpose.put(PurposeOfUse.HOPERAT, new OperationsRule(limited));
    byPurpose.put(PurposeOfUse.PUBHLTH, law);
    byPurpose.put(PurposeOfUse.HLEGAL, law);
  }

  /** With the default settings, the system clock and the shipped minimum-necessary configuration. */
  public static AccessPolicy withDefaults(PolicyFacts facts) {
    return new AccessPolicy(facts, MinimumNecessary.loadDefault(), PolicySettings.defaults(), Clock.systemUTC());
  }

  /**
   * May {@code caller} perform {@code action} on {@code resource}? For a search or history, ask about
   * each resource that would be returned (matches and included resources alike); for an update, ask
   * about the stored version and the new one.
   */
  public Decision decide(Caller caller, Action action, IBaseResource resource) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Target target = targets.of(resource);
    Request request = new Request(caller, action, target, clock.instant());
    String prefix = action + " " + request.what() + " by " + request.who() + " (" + caller.purpose() + "): ";

    if (action == Action.RETRIEVE_DICOM && !"ImagingStudy".equals(target.type())) {
      return Decision.deny(prefix + "DICOM retrieval is about an ImagingStudy, not a " + target.type());
    }
    List<String> whyNot = new ArrayList<>();
    if (target.category() == ResourceCategory.OVERSIGHT && action.isWrite() && !ReviewQueue.isReviewItem(target)) {
      oversight.evaluate(request, whyNot);
      return deny(prefix, whyNot);
    }
    String scopeProblem = scopes.check(request);
    if (scopeProblem != null) {
      return Decision.deny(prefix + scopeProblem);
    }
    Decision decision;
    if (target.category() == ResourceCategory.OVERSIGHT) {
      decision = oversight.evaluate(request, whyNot);
    } else if (!target.isPatientData()) {
      decision = directory.evaluate(request, whyNot);
    } else if (!target.hasOnlyLocalPatients()) {
      whyNot.add(request.what() + " refers to a patient that is not on this server: " + target.patients());
      decision = null;
    } else if (ShareLinkHolders.isHolder(caller)) {
      decision = shareLinks.evaluate(request, whyNot);
    } else if (CopyRequests.isAboutCopies(target.resource())) {
      decision = copyRequests.evaluate(request, whyNot);
    } else {
      decision = byPurpose.get(caller.purpose()).evaluate(request, whyNot);
      if (decision == null && caller.purpose() == PurposeOfUse.TREAT && caller.has(Role.CLINICIAN)) {
        decision = emergency.evaluate(request, whyNot);
      }
      if (caller.has(Role.HIM) && (decision == null || decision.effect() == Effect.PERMIT_PROJECTED)) {
        Decision whole = copyFulfilment.evaluate(request, whyNot);
        decision = whole != null ? whole : decision;
      }
      if (decision == null) {
        decision = authorization.evaluate(request, whyNot);
      }
      String restricted = decision == null ? null : restrictions.overriding(request, decision);
      if (restricted != null) {
        return Decision.deny(prefix + restricted);
      }
    }
    if (decision == null) {
      return deny(prefix, whyNot);
    }
    if (action == Action.RETRIEVE_DICOM && decision.effect() == Effect.PERMIT_PROJECTED) {
      return Decision.deny(prefix + "images cannot be released under a minimum-necessary projection ("
          + decision.reason() + ")");
    }
    return new Decision(decision.effect(), decision.basis(), decision.consentRef(), decision.projection(),
        prefix + decision.reason(), decision.flaggedForReview(), decision.emergencyGrants());
  }

  private static Decision deny(String prefix, List<String> whyNot) {
    return Decision.deny(prefix + (whyNot.isEmpty() ? "no rule permits it" : String.join("; ", whyNot)));
  }
}
