package dev.custodian.audit;

import dev.custodian.policy.resource.References;
import java.util.Objects;

/**
 * The server that records the events: {@code AuditEvent.source} and the server agent.
 *
 * @param observer a reference to the server's Device (or Organization), e.g. {@code Device/custodian}
 * @param site the server's site name (its host name), e.g. {@code custodian.example.org}
 * @param baseUrl the FHIR base URL, recorded as the server agent's network address (URI)
 */
public record ServerIdentity(String observer, String site, String baseUrl) {

  public ServerIdentity {
    References.require(observer, java.util.Set.of("Device", "Organization"), "observer");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(baseUrl, "baseUrl");
  }
}
