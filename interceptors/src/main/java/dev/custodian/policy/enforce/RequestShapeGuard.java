package dev.custodian.policy.enforce;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Refuses, for every caller, the request forms that can reveal hidden data and that the policy cannot
 * (yet) judge per resource. The list lives here and only here:
 *
 * <table>
 *   <caption>Refused request forms</caption>
 *   <tr><th>form</th><th>why</th></tr>
 *   <tr><td>any parameter starting with {@code _has}</td><td>reverse chaining filters on resources the
 *       caller may not see: a match reveals that they exist</td></tr>
 *   <tr><td>chained parameters (a name containing {@code .})</td><td>same, forwards</td></tr>
 *   <tr><td>{@code _summary=count}</td><td>a count of matches, with no resource to judge</td></tr>
 *   <tr><td>{@code _total} (any value)</td><td>counts matches before judging them</td></tr>
 *   <tr><td>{@code _contained}, {@code _containedType}</td><td>returns contained resources as
 *       matches, outside their container's decision</td></tr>
 *   <tr><td>{@code _filter}</td><td>an expression language over any element, chains included</td></tr>
 *   <tr><td>system-level search and history</td><td>resources of every type, unnarrowed</td></tr>
 *   <tr><td>batch and transaction, unless the server judges them per entry</td><td>HAPI's own batch
 *       runs entries outside the request pipeline; with a {@link TransactionEntryGuard} a transaction
 *       is let through once every entry passes it (a batch is then replayed entry by entry as single
 *       requests before it gets here)</td></tr>
 *   <tr><td>every extended operation ({@code $...}) incl. {@code $meta}, {@code $everything},
 *       {@code $export}, {@code $graphql}; also GraphQL and tag operations</td><td>their outputs are
 *       not judged per resource ({@code $meta} is even allow-listed by HAPI's ConsentInterceptor)</td></tr>
 *   <tr><td>conditional create, update, patch and delete</td><td>whether the condition matched reveals
 *       hidden resources</td></tr>
 * </table>
 *
 * {@code /metadata} (the CapabilityStatement) is always allowed, and so are the server's own
 * {@linkplain SelfJudgedOperations self-judged operations} (each asks the policy itself).
 *
 * <p>The answer is <b>400 Bad Request</b> with an OperationOutcome (issue code {@code not-supported})
 * saying that the request form is not supported under access control. 400 rather than 403: the
 * refusal depends on the form of the request only — never on the caller or the data — so no other
 * credentials would change it, and the client has to change the request; it is also what HAPI's
 * ConsentInterceptor answers for {@code _total=accurate} and {@code _summary=count}.
 */
@Interceptor
public final class RequestShapeGuard {

  /** Parameter names refused exactly. */
  static final Set<String> REFUSED_PARAMETERS = Set.of(
      Constants.PARAM_SEARCH_TOTAL_MODE, "_contained", "_containedType", "_filter");

  /** Parameter name prefixes refused (a modifier may follow: {@code _has:Observation:patient:code}). */
  static final List<String> REFUSED_PARAMETER_PREFIXES = List.of(Constants.PARAM_HAS);

  /** REST operations refused whatever their parameters. */
  static final Set<RestOperationTypeEnum> REFUSED_OPERATIONS = EnumSet.of(
      RestOperationTypeEnum.SEARCH_SYSTEM,
      RestOperationTypeEnum.HISTORY_SYSTEM,
      RestOperationTypeEnum.BATCH,
      RestOperationTypeEnum.TRANSACTION,
      RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
      RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
      RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE,
      RestOperationTypeEnum.GRAPHQL_REQUEST,
      RestOperationTypeEnum.META,
      RestOperationTypeEnum.META_ADD,
      RestOperationTypeEnum.META_DELETE,
      RestOperationTypeEnum.GET_TAGS,
      RestOperationTypeEnum.ADD_TAGS,
      RestOperationTypeEnum.DELETE_TAGS);

  /** Operations that may carry a condition ({@code If-None-Exist}, search URL instead of an id). */
  private static final Set<RestOperationTypeEnum> CONDITIONAL_CAPABLE = EnumSet.of(
      RestOperationTypeEnum.CREATE,
      RestOperationTypeEnum.UPDATE,
      RestOperationTypeEnum.PATCH,
      RestOperationTypeEnum.DELETE);

  private final SelfJudgedOperations selfJudged;
  private final TransactionEntryGuard transactions;

  /** A guard that refuses every extended operation, batch and transaction. */
  public RequestShapeGuard() {
    this(SelfJudgedOperations.NONE);
  }

  /** A guard that lets the named operations through; they decide access themselves. */
  public RequestShapeGuard(SelfJudgedOperations selfJudged) {
    this(selfJudged, null);
  }

  /**
   * A guard that also lets through posts to the base (a batch is dispatched entry by entry before
   * HAPI handles it) and transactions whose every entry {@code transactions} accepts.
   */
  public RequestShapeGuard(SelfJudgedOperations selfJudged, TransactionEntryGuard transactions) {
    this.selfJudged = java.util.Objects.requireNonNull(selfJudged, "selfJudged");
    this.transactions = transactions;
  }

  /**
   * Before HAPI picks a method: parameters, {@code $operations} and posts to the base (batch and
   * transaction), so that even requests no provider serves are refused alike.
   */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
  public boolean checkForm(RequestDetails request) {
    if (isMetadata(request)) {
      return true;
    }
    String operation = request.getOperation();
    if (selfJudged.contains(request)) {
      return true;
    }
    if (operation != null && operation.startsWith("$")) {
      throw refuse("extended operation " + operation);
    }
    if (isBlank(request.getResourceName())) {
      if (request.getRequestType() == RequestTypeEnum.POST && isBlank(operation) && transactions == null) {
        throw refuse("batch or transaction");
      }
      if (Constants.PARAM_HISTORY.equals(operation)) {
        throw refuse("system-level history");
      }
      Map<String, String[]> parameters = request.getParameters();
      if (isBlank(operation) && parameters != null && !parameters.isEmpty()
          && !parameters.containsKey(Constants.PARAM_PAGINGACTION)) {
        throw refuse("system-level search");
      }
    }
    Map<String, String[]> parameters = request.getParameters();
    if (parameters != null) {
      for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
        checkParameter(parameter.getKey(), parameter.getValue());
      }
    }
    return true;
  }

  /** Once HAPI knows the REST operation: the operations refused whatever their form. */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void checkOperation(RequestDetails request, RestOperationTypeEnum operation) {
    if (isMetadata(request) || operation == RestOperationTypeEnum.METADATA || selfJudged.contains(request)) {
      return;
    }
    if (operation == RestOperationTypeEnum.TRANSACTION && transactions != null) {
      transactions.check(request);
      return;
    }
    if (operation != null && REFUSED_OPERATIONS.contains(operation)) {
      throw refuse(describe(operation));
    }
    if (operation != null && CONDITIONAL_CAPABLE.contains(operation)
        && (request.getConditionalUrl(operation) != null || request.getHeader(Constants.HEADER_IF_NONE_EXIST) != null)) {
      throw refuse("conditional " + operation.getCode());
    }
    if (operation == RestOperationTypeEnum.DELETE) {
      // Nobody deletes records (the policy denies every delete). Refusing the method before the
      // record is looked up keeps a hidden id and a missing one indistinguishable: HAPI would
      // otherwise answer 200 "does not exist" for one and the policy 404 for the other.
      throw noDeletes();
    }
  }

  /** The refusal of every delete: 405, the same whatever the target. */
  static ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException noDeletes() {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
        .setDiagnostics("Records are not deleted: correct them, or mark them entered-in-error.");
    return new ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException("Records are not deleted", outcome);
  }

  private static void checkParameter(String name, String[] values) {
    if (name == null) {
      return;
    }
    String bare = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    for (String prefix : REFUSED_PARAMETER_PREFIXES) {
      if (name.startsWith(prefix)) {
        throw refuse("the parameter " + prefix);
      }
    }
    if (REFUSED_PARAMETERS.contains(bare)) {
      throw refuse("the parameter " + bare);
    }
    if (name.indexOf('.') >= 0) {
      throw refuse("a chained parameter");
    }
    if (Constants.PARAM_SUMMARY.equals(bare) && values != null) {
      for (String value : values) {
        for (String part : value.split(",")) {
          if ("count".equals(part.trim())) {
            throw refuse("_summary=count");
          }
        }
      }
    }
  }

  private static String describe(RestOperationTypeEnum operation) {
    switch (operation) {
      case SEARCH_SYSTEM:
        return "system-level search";
      case HISTORY_SYSTEM:
        return "system-level history";
      case BATCH:
      case TRANSACTION:
        return "batch or transaction";
      default:
        return "the operation " + operation.getCode();
    }
  }

  private static boolean isMetadata(RequestDetails request) {
    return Constants.URL_TOKEN_METADATA.equals(request.getRequestPath())
        || (request.getResourceName() == null && Constants.URL_TOKEN_METADATA.equals(request.getOperation()));
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** The refusal: 400 with an OperationOutcome, the same for every caller. */
  static InvalidRequestException refuse(String what) {
    String message = "This request form (" + what + ") is not supported under access control";
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
        .setDiagnostics(message);
    return new InvalidRequestException(message, outcome);
  }
}
