package dev.custodian.policy.enforce;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Objects;
import java.util.Set;

/**
 * The server's own extended operations (such as {@code $access-log} or {@code $verify-audit-trail})
 * that decide access themselves: their provider asks the policy about each record before it builds
 * its answer, so {@link RequestShapeGuard} lets them through and {@link PolicyConsentService} does
 * not judge their output a second time. Every operation listed here must have its own leak test.
 * Matching is by exact operation name ({@code $name}); all other {@code $} operations stay refused.
 */
public final class SelfJudgedOperations {

  /** No operation is self-judged: every extended operation is refused. */
  public static final SelfJudgedOperations NONE = new SelfJudgedOperations(Set.of());

  private final Set<String> names;

  private SelfJudgedOperations(Set<String> names) {
    this.names = Set.copyOf(names);
  }

  /** The operations named, each starting with {@code $}. */
  public static SelfJudgedOperations of(String... names) {
    for (String name : names) {
      if (name == null || !name.matches("\\$[a-z][a-z0-9-]*")) {
        throw new IllegalArgumentException("an operation name is $ followed by lower-case letters, digits, '-': " + name);
      }
    }
    return new SelfJudgedOperations(Set.of(names));
  }

  /** Whether {@code request} invokes one of them. */
  public boolean contains(RequestDetails request) {
    Objects.requireNonNull(request, "request");
    String operation = request.getOperation();
    return operation != null && names.contains(operation);
  }
}
