package dev.custodian.server.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit trail ({@code custodian.audit.*}).
 *
 * @param enabled record every FHIR access (default true). Turning it off exists only so the
 *     benchmark can measure what auditing costs; a server without its audit trail does not meet
 *     HIPAA's audit controls, and says so loudly at start.
 */
@ConfigurationProperties(prefix = "custodian.audit")
public record AuditProperties(Boolean enabled) {

  public AuditProperties {
    enabled = enabled == null ? Boolean.TRUE : enabled;
  }
}
