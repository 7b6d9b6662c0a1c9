package dev.custodian.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The tunable numbers of the access policy.
 *
 * @param encounterWindow how long after an Encounter (before now) a participating practitioner keeps
 *     a treatment relationship with its patient; default {@link #DEFAULT_ENCOUNTER_WINDOW}
 */
public record PolicySettings(Duration encounterWindow) {

  /** 30 days. */
  public static final Duration DEFAULT_ENCOUNTER_WINDOW = Duration.ofDays(30);

  public PolicySettings {
    Objects.requireNonNull(encounterWindow, "encounterWindow");
    if (encounterWindow.isNegative()) {
      throw new IllegalArgumentException("the encounter window cannot be negative");
    }
  }

  /** The defaults. */
  public static PolicySettings defaults() {
    return new PolicySettings(DEFAULT_ENCOUNTER_WINDOW);
  }
}
