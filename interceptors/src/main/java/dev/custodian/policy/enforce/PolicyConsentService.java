package dev.custodian.policy.enforce;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOperationStatusEnum;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentOutcome;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentContextServices;
import ca.uhn.fhir.rest.server.interceptor.consent.IConsentService;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The {@link AccessPolicy} behind HAPI's stock {@code ConsentInterceptor}: every resource that would
 * leave the server — read, search match, {@code _include}/{@code _revinclude}d, history entry, page —
 * is decided by the policy, and released whole, projected, or not at all.
 *
 * <ul>
 *   <li>{@link #startOperation}: resolves the caller (401 without one) and answers PROCEED — never
 *       AUTHORIZED, which would make HAPI skip the per-resource checks.</li>
 *   <li>{@link #canSeeResource}: REJECT a denied resource. HAPI drops it from search results and
 *       answers 404 to a read.</li>
 *   <li>{@link #willSeeResource}: for a searchset or history Bundle, removes the entries of denied
 *       resources (the whole entry: HAPI alone would leave the entry and its {@code fullUrl} behind)
 *       and puts projections in place of projected ones; for an OperationOutcome, PROCEED; for any
 *       other resource: PERMIT → PROCEED, PERMIT_PROJECTED → PROCEED with {@link Decision#apply} (a
 *       projected copy; the stored object is never changed), DENY → REJECT; a permitted
 *       DomainResource answers AUTHORIZED instead of PROCEED, which only tells HAPI not to look
 *       inside it for further resources (its contained ones share its decision).</li>
 * </ul>
 *
 * Each resource is decided once per request; the decisions are kept in the request's user data
 * ({@link #decisions(RequestDetails)}) for the audit trail. A contained resource follows the decision
 * about the resource containing it. HAPI's ConsentInterceptor clears {@code Bundle.total} of every
 * response of a request that is not AUTHORIZED, which this service never is.
 */
public final class PolicyConsentService implements IConsentService {

  /** The user-data key of the per-request decisions. */
  public static final String DECISIONS_KEY = PolicyConsentService.class.getName() + ".decisions";

  private final AccessPolicy policy;
  private final CallerResolver resolver;

  private final SelfJudgedOperations selfJudged;

  public PolicyConsentService(AccessPolicy policy, CallerResolver resolver) {
    this(policy, resolver, SelfJudgedOperations.NONE);
  }

  /**
   * A service that leaves the output of the {@code selfJudged} operations alone: they ask the policy
   * themselves, per record, before building their answer (the caller must still be authenticated).
   */
  public PolicyConsentService(AccessPolicy policy, CallerResolver resolver, SelfJudgedOperations selfJudged) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.selfJudged = Objects.requireNonNull(selfJudged, "selfJudged");
  }

  /** What was decided about each resource of {@code request} so far (identity keys), read-only. */
  public static Map<IBaseResource, Decision> decisions(RequestDetails request) {
    Map<IBaseResource, Verdict> memo = memoOrNull(request);
    if (memo == null) {
      return Map.of();
    }
    Map<IBaseResource, Decision> result = new IdentityHashMap<>();
    memo.forEach((resource, verdict) -> result.put(resource, verdict.decision()));
    return Collections.unmodifiableMap(result);
  }

  /**
   * Records what a {@linkplain SelfJudgedOperations self-judged operation} decided about
   * {@code resource}, so that the audit trail names the resource and the decision as it does for
   * every other request.
   */
  public static void recordSelfJudged(RequestDetails request, IBaseResource resource, Decision decision) {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(decision, "decision");
    memo(request).put(resource, new Verdict(decision, decision.isPermitted() ? resource : null));
  }

  @Override
  public ConsentOutcome startOperation(RequestDetails request, IConsentContextServices context) {
    Caller caller = Callers.resolve(request, resolver);
    if (caller == null) {
      throw new AuthenticationException("Authentication required");
    }
    if (selfJudged.contains(request)) {
      return ConsentOutcome.AUTHORIZED;
    }
    return ConsentOutcome.PROCEED;
  }

  @Override
  public boolean shouldProcessCanSeeResource(RequestDetails request, IConsentContextServices context) {
    return true;
  }

  @Override
  public ConsentOutcome canSeeResource(RequestDetails request, IBaseResource resource, IConsentContextServices context) {
    if (resource instanceof IBaseOperationOutcome) {
      return ConsentOutcome.PROCEED;
    }
    return judge(request, resource).released() == null ? ConsentOutcome.REJECT : ConsentOutcome.PROCEED;
  }

  @Override
  public ConsentOutcome willSeeResource(RequestDetails request, IBaseResource resource, IConsentContextServices context) {
    if (resource instanceof IBaseOperationOutcome) {
      return ConsentOutcome.PROCEED;
    }
    if (resource instanceof Bundle bundle && isWriteResponse(bundle)) {
      // the envelope of a transaction's answer: its entries' resources are judged one by one (HAPI
      // visits them next), as READ of what was written
      return ConsentOutcome.PROCEED;
    }
    if (resource instanceof Bundle bundle && isResultBundle(bundle)) {
      filterEntries(request, bundle);
      if (request.getRestOperationType() == RestOperationTypeEnum.HISTORY_INSTANCE && bundle.getEntry().isEmpty()) {
        // a resource always has a version: an empty instance history is a hidden resource, which must
        // answer exactly as a missing one does
        throw HiddenAsMissing.notFound(request);
      }
      return ConsentOutcome.PROCEED;
    }
    Verdict verdict = judge(request, resource);
    if (verdict.released() == null) {
      RestOperationTypeEnum operation = request.getRestOperationType();
      if (operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD) {
        // a read served by a plain (non-JPA) provider reaches here with the resource in hand: HAPI
        // would answer a rejection with 204, which tells a hidden id from a missing one
        throw HiddenAsMissing.notFound(request);
      }
      return ConsentOutcome.REJECT;
    }
    if (resource instanceof DomainResource) {
      // the only resources inside a DomainResource are its contained ones, which follow its decision
      // (judge releases them with it): AUTHORIZED spares HAPI's walk over every element looking for
      // more. Bundles and Parameters, which hold resources of their own, are still walked.
      return new ConsentOutcome(ConsentOperationStatusEnum.AUTHORIZED,
          verdict.released() != resource ? verdict.released() : null);
    }
    if (verdict.released() != resource) {
      return new ConsentOutcome(ConsentOperationStatusEnum.PROCEED, verdict.released());
    }
    return ConsentOutcome.PROCEED;
  }

  private static boolean isWriteResponse(Bundle bundle) {
    return bundle.getType() == Bundle.BundleType.TRANSACTIONRESPONSE;
  }

  private static boolean isResultBundle(Bundle bundle) {
    return bundle.getType() == Bundle.BundleType.SEARCHSET || bundle.getType() == Bundle.BundleType.HISTORY;
  }

  /** Removes denied entries (and entries left without a resource) and puts projections in place. */
  private void filterEntries(RequestDetails request, Bundle bundle) {
    for (Iterator<Bundle.BundleEntryComponent> it = bundle.getEntry().iterator(); it.hasNext(); ) {
      Bundle.BundleEntryComponent entry = it.next();
      Resource resource = entry.getResource();
      if (resource == null) {
        // rejected by an earlier hook, or a deletion in a history: there is no resource to judge,
        // and its fullUrl / request URL alone would name a resource the caller may not know of
        it.remove();
        continue;
      }
      if (resource instanceof IBaseOperationOutcome) {
        continue;
      }
      Verdict verdict = judge(request, resource);
      if (verdict.released() == null) {
        it.remove();
      } else if (verdict.released() != resource) {
        entry.setResource((Resource) verdict.released());
      }
    }
  }

  private Verdict judge(RequestDetails request, IBaseResource resource) {
    Map<IBaseResource, Verdict> memo = memo(request);
    Verdict known = memo.get(resource);
    if (known != null) {
      return known;
    }
    Caller caller = Callers.resolve(request, resolver);
    Optional<Action> action = actionOf(request);
    Decision decision;
    if (caller == null) {
      decision = Decision.deny("no authenticated caller");
    } else if (action.isEmpty()) {
      decision = Decision.deny("request " + request.getRestOperationType() + " is not judged per resource");
    } else {
      decision = policy.decide(caller, action.get(), resource);
    }
    IBaseResource released = decision.isPermitted() ? decision.apply(resource) : null;
    Verdict verdict = new Verdict(decision, released);
    memo.put(resource, verdict);
    if (released != null) {
      memo.put(released, verdict);
      if (released instanceof DomainResource domain) {
        for (Resource contained : domain.getContained()) {
          memo.put(contained, new Verdict(decision, contained));
        }
      }
    }
    return verdict;
  }

  /**
   * The action each resource of {@code request} is decided for: {@link Action#of} of the REST
   * operation; a further page of a search or history ({@code GET_PAGE}) counts as a search; a resource
   * in the answer to a transaction (which holds writes only, see {@link TransactionEntryGuard}) as a
   * read of what was written.
   */
  static Optional<Action> actionOf(RequestDetails request) {
    RestOperationTypeEnum operation = request.getRestOperationType();
    if (operation == RestOperationTypeEnum.GET_PAGE) {
      return Optional.of(Action.SEARCH);
    }
    if (operation == RestOperationTypeEnum.TRANSACTION) {
      return Optional.of(Action.READ);
    }
    return Action.of(operation);
  }

  private record Verdict(Decision decision, IBaseResource released) {}

  @SuppressWarnings("unchecked")
  private static Map<IBaseResource, Verdict> memoOrNull(RequestDetails request) {
    return (Map<IBaseResource, Verdict>) request.getUserData().get(DECISIONS_KEY);
  }

  private static Map<IBaseResource, Verdict> memo(RequestDetails request) {
    Map<IBaseResource, Verdict> memo = memoOrNull(request);
    if (memo == null) {
      memo = new IdentityHashMap<>();
      request.getUserData().put(DECISIONS_KEY, memo);
    }
    return memo;
  }
}
