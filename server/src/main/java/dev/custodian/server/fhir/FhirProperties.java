package dev.custodian.server.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The FHIR REST endpoint ({@code custodian.fhir.*}).
 *
 * @param defaultPageSize search results per page when the client does not say {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param maxRequestBytes request bodies larger than this are refused with 413
 * @param serverAddress the public base URL of the FHIR endpoint, when it differs from what the
 *     request says (behind a proxy); empty to use the incoming request's address
 */
@ConfigurationProperties(prefix = "custodian.fhir")
public record FhirProperties(
    int defaultPageSize, int maxPageSize, long maxRequestBytes, String serverAddress) {

  public FhirProperties {
    defaultPageSize = defaultPageSize > 0 ? defaultPageSize : 20;
    maxPageSize = maxPageSize > 0 ? maxPageSize : 200;
    maxRequestBytes = maxRequestBytes > 0 ? maxRequestBytes : 16L * 1024 * 1024;
  }
}
