package dev.custodian.server.audit.store;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The SQL of an {@link AuditQuery}: every condition a bound parameter, nothing spliced in. */
record AuditSql(String text, List<Object> arguments) {

  static AuditSql of(AuditQuery query, Long afterSequence, int limit) {
    List<Object> arguments = new ArrayList<>();
    StringBuilder where = where(query, arguments);
    if (afterSequence != null) {
      where.append(query.oldestFirst() ? " and sequence > ?" : " and sequence < ?");
      arguments.add(afterSequence);
    }
    arguments.add(limit);
    return new AuditSql(
        "select sequence, id, previous_hash, hash, event, event_deflated, recorded from custodian_audit_event where " + where
            + " order by sequence " + (query.oldestFirst() ? "asc" : "desc") + " limit ?",
        arguments);
  }

  static AuditSql count(AuditQuery query) {
    List<Object> arguments = new ArrayList<>();
    return new AuditSql("select count(*) from custodian_audit_event where " + where(query, arguments), arguments);
  }

  private static StringBuilder where(AuditQuery query, List<Object> arguments) {
    StringBuilder where = new StringBuilder("true");
    terms(where, arguments, "patients", query.patients());
    terms(where, arguments, "agents", query.agents());
    terms(where, arguments, "entities", query.entities());
    terms(where, arguments, "types", query.types());
    terms(where, arguments, "subtypes", query.subtypes());
    terms(where, arguments, "actions", query.actions());
    terms(where, arguments, "outcomes", query.outcomes());
    terms(where, arguments, "purposes", query.purposes());
    if (!query.ids().isEmpty()) {
      where.append(" and id = any(?)");
      arguments.add(query.ids().stream().map(AuditSql::uuidOrNil).toArray(UUID[]::new));
    }
    if (!query.excludedAgents().isEmpty()) {
      where.append(" and not (agents && ?::text[])");
      arguments.add(query.excludedAgents().toArray(String[]::new));
    }
    if (query.recordedFrom() != null) {
      where.append(" and recorded >= ?");
      arguments.add(Timestamp.from(query.recordedFrom()));
    }
    if (query.recordedTo() != null) {
      where.append(" and recorded <= ?");
      arguments.add(Timestamp.from(query.recordedTo()));
    }
    return where;
  }

  /** Each condition: the column holds at least one of its values ({@code &&}, GIN-indexed). */
  private static void terms(StringBuilder where, List<Object> arguments, String column, List<List<String>> conditions) {
    for (List<String> anyOf : conditions) {
      where.append(" and ").append(column).append(" && ?::text[]");
      arguments.add(anyOf.toArray(String[]::new));
    }
  }

  /** An id that is no UUID matches nothing (the nil UUID is never given to an event). */
  private static UUID uuidOrNil(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return new UUID(0, 0);
    }
  }
}
