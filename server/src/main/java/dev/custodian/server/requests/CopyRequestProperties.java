package dev.custodian.server.requests;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Right-of-access requests for copies ({@code custodian.requests.*}).
 *
 * @param dueIn how long after the request the copies are due (HIPAA: 30 days, 45 CFR 164.524(b)(2))
 * @param maxExtension the longest one extension may add (HIPAA: once, at most 30 days, with a written
 *     reason given to the patient)
 * @param linkValidity how long the share link that delivers digital copies stays valid
 * @param linkMaxUses how many times that link may be opened
 */
@ConfigurationProperties(prefix = "custodian.requests")
public record CopyRequestProperties(Duration dueIn, Duration maxExtension, Duration linkValidity, Integer linkMaxUses) {

  public static final Duration LEGAL_DUE = Duration.ofDays(30);

  public CopyRequestProperties {
    dueIn = dueIn == null ? LEGAL_DUE : dueIn;
    maxExtension = maxExtension == null ? LEGAL_DUE : maxExtension;
    linkValidity = linkValidity == null ? Duration.ofDays(7) : linkValidity;
    linkMaxUses = linkMaxUses == null ? 1 : linkMaxUses;
    if (dueIn.isNegative() || dueIn.isZero() || dueIn.compareTo(LEGAL_DUE) > 0) {
      throw new IllegalArgumentException("custodian.requests.due-in must be positive and at most 30 days, not " + dueIn);
    }
    if (maxExtension.isNegative() || maxExtension.compareTo(LEGAL_DUE) > 0) {
      throw new IllegalArgumentException("custodian.requests.max-extension must be at most 30 days, not " + maxExtension);
    }
    if (linkValidity.isNegative() || linkValidity.isZero() || linkMaxUses < 1) {
      throw new IllegalArgumentException("custodian.requests.link-validity and link-max-uses must be positive");
    }
  }
}
