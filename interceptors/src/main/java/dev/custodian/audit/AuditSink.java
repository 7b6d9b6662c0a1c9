package dev.custodian.audit;

/**
 * Where access records go: the server writes them durably (and fails the request if it cannot),
 * tests may collect them.
 */
@FunctionalInterface
public interface AuditSink {

  /** Records one access; must not return before the record is durable. */
  void record(AccessRecord access);
}
