package dev.custodian.server.fhir.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Batches and transactions ({@code custodian.fhir.batch.*}).
 *
 * @param maxEntries the most entries one batch or transaction Bundle may hold; a larger one is
 *     refused whole with 413 before any entry runs (default 100)
 */
@ConfigurationProperties(prefix = "custodian.fhir.batch")
public record BatchProperties(int maxEntries) {

  public BatchProperties {
    maxEntries = maxEntries > 0 ? maxEntries : 100;
  }
}
