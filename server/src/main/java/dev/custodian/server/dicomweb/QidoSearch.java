package dev.custodian.server.dicomweb;

import dev.custodian.policy.caller.Caller;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs a QIDO-RS query over the DICOM index so that nothing the caller may not see is listed or
 * counted: the query is narrowed in SQL where the caller's reach is known (a patient's app: her own
 * studies), every candidate study is then decided by the policy through its ImagingStudy, and
 * only then are results selected, ordered, limited and offset — among permitted studies only.
 */
class QidoSearch {

  private final JdbcTemplate jdbc;
  private final StudyAccess access;

  QidoSearch(JdbcTemplate jdbc, StudyAccess access) {
    this.jdbc = jdbc;
    this.access = access;
  }

  /** One result row: column values by attribute, and the UIDs that make its RetrieveURL. */
  record Row(Map<QidoAttribute, Object> values, String studyUid, String seriesUid, String sopInstanceUid) {}

  /** The permitted matches, in order, limited and offset. */
  List<Row> run(QidoQuery query, Caller caller, DicomwebAudit.Entry audit) {
    List<Object> arguments = new ArrayList<>();
    String where = where(query, caller, arguments);
    List<String> candidates = jdbc.queryForList(
        "SELECT study_uid FROM (SELECT DISTINCT s.study_uid, s.study_date FROM " + from(query.level) + where
            + ") c ORDER BY c.study_date DESC NULLS LAST, c.study_uid",
        String.class, arguments.toArray());
    List<String> permitted = new ArrayList<>();
    for (String studyUid : candidates) {
      if (query.level == QidoLevel.STUDY && permitted.size() >= (long) query.offset + query.limit) {
        break;
      }
      Optional<StudyAccess.Judged> judged = access.search(caller, studyUid);
      if (judged.isPresent()) {
        audit.touched(judged.get().audited());
        if (judged.get().permitted()) {
          permitted.add(studyUid);
        }
      }
    }
    if (permitted.isEmpty()) {
      return List.of();
    }
    List<QidoAttribute> columns = new ArrayList<>();
    StringBuilder select = new StringBuilder("SELECT s.study_uid AS uid_study");
    select.append(query.level == QidoLevel.STUDY ? "" : ", se.series_uid AS uid_series");
    select.append(query.level == QidoLevel.INSTANCE ? ", i.sop_instance_uid AS uid_instance" : "");
    for (QidoAttribute attribute : QidoAttribute.values()) {
      String expression = expression(attribute, query.level);
      if (expression != null && query.returned.contains(attribute)) {
        columns.add(attribute);
        select.append(", ").append(expression).append(" AS a_").append(attribute.ordinal());
      }
    }
    List<Object> resultArguments = new ArrayList<>(arguments);
    resultArguments.add(String.join(",", permitted));
    resultArguments.add(query.limit);
    resultArguments.add(query.offset);
    String sql = select + " FROM " + from(query.level) + where
        + (where.isEmpty() ? " WHERE " : " AND ") + "s.study_uid = ANY (string_to_array(?, ','))"
        + " ORDER BY s.study_date DESC NULLS LAST, s.study_uid"
        + (query.level == QidoLevel.STUDY ? "" : ", se.series_number NULLS LAST, se.series_uid")
        + (query.level == QidoLevel.INSTANCE ? ", i.instance_number NULLS LAST, i.sop_instance_uid" : "")
        + " LIMIT ? OFFSET ?";
    return jdbc.query(sql, (rs, n) -> {
      Map<QidoAttribute, Object> values = new LinkedHashMap<>();
      for (QidoAttribute attribute : columns) {
        values.put(attribute, rs.getObject("a_" + attribute.ordinal()));
      }
      return new Row(values, rs.getString("uid_study"),
          query.level == QidoLevel.STUDY ? null : rs.getString("uid_series"),
          query.level == QidoLevel.INSTANCE ? rs.getString("uid_instance") : null);
    }, resultArguments.toArray());
  }

  /** The results in DICOM JSON. */
  static void write(List<Row> rows, QidoQuery query, String base, Writer out) throws IOException {
    DicomJson json = new DicomJson(out);
    json.beginArray();
    for (Row row : rows) {
      json.beginDataset();
      for (QidoAttribute attribute : QidoAttribute.values()) {
        if (!query.returned.contains(attribute) || !attribute.availableAt(query.level)) {
          continue;
        }
        switch (attribute) {
          case SPECIFIC_CHARACTER_SET -> json.string(attribute.tag, attribute.vr, "ISO_IR 192");
          case INSTANCE_AVAILABILITY -> json.string(attribute.tag, attribute.vr, "ONLINE");
          case RETRIEVE_URL -> json.string(attribute.tag, attribute.vr, retrieveUrl(base, row));
          case MODALITIES_IN_STUDY -> {
            Object value = row.values().get(attribute);
            json.string(attribute.tag, attribute.vr, value == null ? null : value.toString().split("\\\\"));
          }
          default -> {
            Object value = row.values().get(attribute);
            if (attribute.vr.equals("PN")) {
              json.personName(attribute.tag, value == null ? null : value.toString());
            } else if (value instanceof Number number) {
              json.number(attribute.tag, attribute.vr, number.longValue());
            } else {
              json.string(attribute.tag, attribute.vr, value == null ? null : value.toString());
            }
          }
        }
      }
      json.endDataset();
    }
    json.endArray().flush();
  }

  private static String retrieveUrl(String base, Row row) {
    String url = base + "/studies/" + row.studyUid();
    if (row.seriesUid() != null) {
      url += "/series/" + row.seriesUid();
    }
    if (row.sopInstanceUid() != null) {
      url += "/instances/" + row.sopInstanceUid();
    }
    return url;
  }

  private static String from(QidoLevel level) {
    return switch (level) {
      case STUDY -> "custodian_dicom_study s";
      case SERIES -> "custodian_dicom_series se JOIN custodian_dicom_study s ON s.study_uid = se.study_uid";
      case INSTANCE -> "custodian_dicom_instance i JOIN custodian_dicom_series se ON se.series_uid = i.series_uid"
          + " JOIN custodian_dicom_study s ON s.study_uid = i.study_uid";
    };
  }

  /** The SQL that yields the attribute at this level, or null if it is not a column. */
  private static String expression(QidoAttribute attribute, QidoLevel level) {
    if (!attribute.availableAt(level)) {
      return null;
    }
    return switch (attribute) {
      case MODALITIES_IN_STUDY ->
          "(SELECT string_agg(DISTINCT m.modality, '\\') FROM custodian_dicom_series m WHERE m.study_uid = s.study_uid)";
      case NUMBER_OF_STUDY_RELATED_SERIES ->
          "(SELECT count(*) FROM custodian_dicom_series m WHERE m.study_uid = s.study_uid)";
      case NUMBER_OF_STUDY_RELATED_INSTANCES ->
          "(SELECT count(*) FROM custodian_dicom_instance m WHERE m.study_uid = s.study_uid)";
      case NUMBER_OF_SERIES_RELATED_INSTANCES ->
          "(SELECT count(*) FROM custodian_dicom_instance m WHERE m.series_uid = se.series_uid)";
      default -> attribute.column;
    };
  }

  /** The matching keys, and the narrowing a patient's app gets, as a WHERE clause. */
  private static String where(QidoQuery query, Caller caller, List<Object> arguments) {
    List<String> conditions = new ArrayList<>();
    if (caller.launchPatient() != null && caller.scopes().hasPatientContextOnly()) {
      // patient/ scopes reach the launch patient's compartment only: nothing else is even a candidate
      conditions.add("s.patient_ref = ?");
      arguments.add(caller.launchPatientReference());
    }
    for (Map.Entry<QidoAttribute, List<String>> key : query.keys.entrySet()) {
      List<String> alternatives = new ArrayList<>();
      for (String value : key.getValue()) {
        alternatives.add(condition(key.getKey(), value, arguments));
      }
      conditions.add("(" + String.join(" OR ", alternatives) + ")");
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  private static String condition(QidoAttribute attribute, String value, List<Object> arguments) {
    String column = attribute.column;
    switch (attribute.match) {
      case UID_LIST, MODALITIES -> {
        List<String> values = QidoQuery.uids(value);
        arguments.addAll(values);
        String list = String.join(",", java.util.Collections.nCopies(values.size(), "?"));
        return attribute.match == QidoAttribute.Match.UID_LIST
            ? column + " IN (" + list + ")"
            : "EXISTS (SELECT 1 FROM custodian_dicom_series m WHERE m.study_uid = s.study_uid AND m.modality IN (" + list + "))";
      }
      case DATE_RANGE -> {
        int dash = value.indexOf('-');
        if (dash < 0) {
          arguments.add(value);
          return column + " = ?";
        }
        List<String> bounds = new ArrayList<>();
        if (dash > 0) {
          bounds.add(column + " >= ?");
          arguments.add(value.substring(0, dash));
        }
        if (dash < value.length() - 1) {
          bounds.add(column + " <= ?");
          arguments.add(value.substring(dash + 1));
        }
        return String.join(" AND ", bounds);
      }
      case NUMBER -> {
        arguments.add(Integer.parseInt(value.replace("+", "")));
        return column + " = ?";
      }
      default -> {
        boolean caseless = attribute.match == QidoAttribute.Match.PERSON_NAME;
        arguments.add(likePattern(value));
        return column + (caseless ? " ILIKE ?" : " LIKE ?") + " ESCAPE '\\'";
      }
    }
  }

  /** A DICOM wildcard value ({@code *} any run, {@code ?} one character) as a LIKE pattern. */
  static String likePattern(String value) {
    StringBuilder pattern = new StringBuilder();
    for (char c : value.toCharArray()) {
      switch (c) {
        case '*' -> pattern.append('%');
        case '?' -> pattern.append('_');
        case '%', '_', '\\' -> pattern.append('\\').append(c);
        default -> pattern.append(c);
      }
    }
    return pattern.toString();
  }
}
