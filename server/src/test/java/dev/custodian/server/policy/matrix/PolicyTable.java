package dev.custodian.server.policy.matrix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy table {@code policy/who-sees-what.md} (test resources): one row per role, consent state
 * and target record, one outcome cell per interaction. Parsed from its markdown table so that the
 * file stays readable and the README can show it unchanged.
 */
final class PolicyTable {

  static final String RESOURCE = "policy/who-sees-what.md";
  static final List<String> INTERACTIONS =
      List.of("read", "vread", "search", "history", "create", "update", "delete");
  static final List<String> OUTCOMES = List.of("permit", "projected", "absent", "400", "403", "405", "-");
  private static final List<String> HEADER = new ArrayList<>();

  static {
    HEADER.addAll(List.of("role", "purpose", "consent", "target"));
    HEADER.addAll(INTERACTIONS);
  }

  /** One row: who asks, under which purpose and consent state, about which record. */
  record Row(String role, String purpose, String consent, String target, Map<String, String> outcomes) {

    String type() {
      return target.substring(0, target.indexOf('/'));
    }
  }

  /** One cell: one interaction of one row, and the outcome the table expects. */
  record Case(Row row, String interaction, String expected) {
    @Override
    public String toString() {
      return row.role() + " (" + row.purpose() + ", consent " + row.consent() + ") " + interaction + " "
          + row.target() + " -> " + expected;
    }
  }

  private PolicyTable() {}

  /** The file's text. */
  static String text() {
    try (InputStream in = PolicyTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of the first markdown table in {@code markdown} (header and separator included). */
  static List<String> tableLines(String markdown) {
    List<String> lines = new ArrayList<>();
    for (String line : markdown.split("\n")) {
      if (line.startsWith("|")) {
        lines.add(line.strip());
      } else if (!lines.isEmpty()) {
        break;
      }
    }
    return lines;
  }

  static List<Row> rows() {
    List<String> lines = tableLines(text());
    if (lines.size() < 3 || !cells(lines.get(0)).equals(HEADER)) {
      throw new IllegalStateException(RESOURCE + ": the table must start with the header " + HEADER);
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(2, lines.size())) {
      List<String> cells = cells(line);
      if (cells.size() != HEADER.size()) {
        throw new IllegalStateException(RESOURCE + ": " + HEADER.size() + " cells expected: " + line);
      }
      Map<String, String> outcomes = new LinkedHashMap<>();
      for (int i = 0; i < INTERACTIONS.size(); i++) {
        String outcome = cells.get(4 + i);
        if (!OUTCOMES.contains(outcome)) {
          throw new IllegalStateException(RESOURCE + ": unknown outcome '" + outcome + "' in " + line);
        }
        outcomes.put(INTERACTIONS.get(i), outcome);
      }
      rows.add(new Row(cells.get(0), cells.get(1), cells.get(2), cells.get(3), outcomes));
    }
    return rows;
  }

  /** Every cell that is a case (not "-"). */
  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (Row row : rows()) {
      row.outcomes().forEach((interaction, expected) -> {
        if (!"-".equals(expected)) {
          cases.add(new Case(row, interaction, expected));
        }
      });
    }
    return cases;
  }

  private static List<String> cells(String line) {
    String inner = line.strip();
    inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
    return Arrays.stream(inner.split("\\|")).map(String::strip).toList();
  }
}
