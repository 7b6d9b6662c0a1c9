package dev.custodian.server.audit.fhir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.custodian.server.audit.store.AuditQuery;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What an audit page link carries: the query (as the search id, {@code audit-} + base64url JSON) and
 * the position (as the page id, {@code <after sequence or "start">.<page size>}). Stateless, so any
 * node serves any page. A client that edits a token only gets a different search, which the policy
 * decides like any other.
 */
record AuditPageToken(AuditQuery query, Long afterSequence, int pageSize) {

  static final String PREFIX = "audit-";
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  String searchId() {
    try {
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(query));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit query is plain data", e);
    }
  }

  String pageId() {
    return (afterSequence == null ? "start" : afterSequence.toString()) + "." + pageSize;
  }

  AuditPageToken after(long sequence) {
    return new AuditPageToken(query, sequence, pageSize);
  }

  /** The token of a page link, or empty when it is not one of ours or is malformed. */
  static Optional<AuditPageToken> parse(String searchId, String pageId, int maxPageSize) {
    if (searchId == null || !searchId.startsWith(PREFIX) || pageId == null || !pageId.matches("(start|[0-9]{1,18})\\.[0-9]{1,6}")) {
      return Optional.empty();
    }
    try {
      byte[] json = Base64.getUrlDecoder().decode(searchId.substring(PREFIX.length()));
      AuditQuery query = JSON.readValue(new String(json, StandardCharsets.UTF_8), AuditQuery.class);
      String[] parts = pageId.split("\\.");
      Long after = "start".equals(parts[0]) ? null : Long.valueOf(parts[0]);
      int size = Math.max(1, Math.min(maxPageSize, Integer.parseInt(parts[1])));
      return Optional.of(new AuditPageToken(query, after, size));
    } catch (IllegalArgumentException | java.io.IOException e) {
      return Optional.empty();
    }
  }
}
