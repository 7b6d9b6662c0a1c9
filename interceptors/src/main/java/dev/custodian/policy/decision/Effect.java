package dev.custodian.policy.decision;

/** The outcome of a decision. */
public enum Effect {
  /** The caller may have the resource as stored. */
  PERMIT,
  /** The caller may not have it; to the caller it does not exist. */
  DENY,
  /** The caller may have a minimum-necessary projection of it, never the resource as stored. */
  PERMIT_PROJECTED
}
