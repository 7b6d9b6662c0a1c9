package dev.custodian.server.dicomweb;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A QIDO-RS request, checked: level, the study (and series) of the path, matching keys, which
 * attributes to return ({@code includefield}), {@code limit} and {@code offset}. Anything it does
 * not understand is a {@link BadRequest}: a client's mistake answered with 400, never ignored.
 */
final class QidoQuery {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /** A query the server cannot run as asked. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  final QidoLevel level;
  final Map<QidoAttribute, List<String>> keys;
  final Set<QidoAttribute> returned;
  final int limit;
  final int offset;

  private QidoQuery(QidoLevel level, Map<QidoAttribute, List<String>> keys, Set<QidoAttribute> returned, int limit,
      int offset) {
    this.level = level;
    this.keys = keys;
    this.returned = returned;
    this.limit = limit;
    this.offset = offset;
  }

  /**
   * @param pathStudy the {study} of the path, or null
   * @param pathSeries the {series} of the path, or null
   * @param parameters the query parameters, each with its values
   */
  static QidoQuery parse(QidoLevel level, String pathStudy, String pathSeries, Map<String, String[]> parameters)
      throws BadRequest {
    Map<QidoAttribute, List<String>> keys = new LinkedHashMap<>();
    Set<QidoAttribute> returned = EnumSet.noneOf(QidoAttribute.class);
    for (QidoAttribute attribute : QidoAttribute.values()) {
      if (attribute.returnedByDefaultAt(level)) {
        returned.add(attribute);
      }
    }
    int limit = DEFAULT_LIMIT;
    int offset = 0;
    for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      switch (name) {
        case "limit" -> limit = number(name, parameter.getValue(), 1, MAX_LIMIT);
        case "offset" -> offset = number(name, parameter.getValue(), 0, Integer.MAX_VALUE);
        case "fuzzymatching" -> {
          if (!"false".equals(single(name, parameter.getValue()))) {
            throw new BadRequest("fuzzymatching is not supported");
          }
        }
        case "includefield" -> include(parameter.getValue(), level, returned);
        default -> {
          QidoAttribute attribute = QidoAttribute.named(name)
              .orElseThrow(() -> new BadRequest("unsupported query key " + name));
          if (attribute.match == QidoAttribute.Match.NONE || !attribute.availableAt(level)) {
            throw new BadRequest(name + " is not a matching key of this query");
          }
          List<String> values = new ArrayList<>();
          for (String value : parameter.getValue()) {
            if (!value.isEmpty()) {
              values.add(value);
            }
          }
          if (!values.isEmpty()) {
            keys.put(attribute, values);
            returned.add(attribute);
          }
        }
      }
    }
    pathKey(keys, QidoAttribute.STUDY_INSTANCE_UID, pathStudy);
    pathKey(keys, QidoAttribute.SERIES_INSTANCE_UID, pathSeries);
    for (Map.Entry<QidoAttribute, List<String>> key : keys.entrySet()) {
      check(key.getKey(), key.getValue());
    }
    return new QidoQuery(level, keys, returned, limit, offset);
  }

  private static void pathKey(Map<QidoAttribute, List<String>> keys, QidoAttribute attribute, String value)
      throws BadRequest {
    if (value == null) {
      return;
    }
    if (keys.containsKey(attribute)) {
      throw new BadRequest(attribute.keyword + " is given by the path");
    }
    keys.put(attribute, List.of(value));
  }

  private static void include(String[] values, QidoLevel level, Set<QidoAttribute> returned) throws BadRequest {
    for (String value : values) {
      for (String name : value.split(",")) {
        String field = name.strip();
        if (field.equals("all")) {
          for (QidoAttribute attribute : QidoAttribute.values()) {
            if (attribute.availableAt(level)) {
              returned.add(attribute);
            }
          }
        } else if (!field.isEmpty()) {
          QidoAttribute attribute = QidoAttribute.named(field)
              .orElseThrow(() -> new BadRequest("unsupported includefield " + field));
          if (attribute.availableAt(level)) {
            returned.add(attribute);
          }
        }
      }
    }
  }

  private static void check(QidoAttribute attribute, List<String> values) throws BadRequest {
    for (String value : values) {
      switch (attribute.match) {
        case UID_LIST -> {
          for (String uid : uids(value)) {
            if (!StowService.isUid(uid)) {
              throw new BadRequest(attribute.keyword + ": not a UID: " + uid);
            }
          }
        }
        case DATE_RANGE -> {
          if (!value.matches("\\d{8}|\\d{8}-|-\\d{8}|\\d{8}-\\d{8}")) {
            throw new BadRequest(attribute.keyword + ": a date is YYYYMMDD, a range a-b, a- or -b");
          }
        }
        case NUMBER -> {
          if (!value.matches("[+-]?\\d{1,9}")) {
            throw new BadRequest(attribute.keyword + ": not an integer");
          }
        }
        default -> {
          if (value.length() > 324) {
            throw new BadRequest(attribute.keyword + ": value too long");
          }
        }
      }
    }
  }

  /** The UIDs of a UID list value ({@code a,b} or {@code a\b}). */
  static List<String> uids(String value) {
    return List.of(value.split("[,\\\\]"));
  }

  private static String single(String name, String[] values) throws BadRequest {
    if (values.length != 1) {
      throw new BadRequest(name + " is given more than once");
    }
    return values[0];
  }

  private static int number(String name, String[] values, int min, int max) throws BadRequest {
    String value = single(name, values);
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw new BadRequest(name + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be an integer");
    }
  }
}
