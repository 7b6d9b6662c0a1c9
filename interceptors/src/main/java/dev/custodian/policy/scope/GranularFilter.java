package dev.custodian.policy.scope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The granular constraint of a SMART v2 resource scope — the search-parameter query after {@code ?},
 * as in {@code patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory}.
 *
 * <p>It reads like a FHIR search: a resource satisfies the filter when, for <em>every</em> parameter,
 * it matches <em>at least one</em> of that parameter's token values (parameters AND together, the
 * comma-separated values of one parameter OR together). Each parameter appears at most once.
 *
 * <p>{@link #NONE} (no parameters) means "unfiltered". Parameters and values are held sorted and
 * without duplicates, so two filters that say the same thing are {@linkplain #equals equal} and print
 * the same.
 */
public record GranularFilter(SortedMap<String, List<TokenValue>> parameters) {

  /** No constraint: the scope applies to every resource of its type. */
  public static final GranularFilter NONE = new GranularFilter(new TreeMap<>());

  public GranularFilter {
    Objects.requireNonNull(parameters, "parameters");
    TreeMap<String, List<TokenValue>> copy = new TreeMap<>();
    for (Map.Entry<String, List<TokenValue>> entry : parameters.entrySet()) {
      String name = Objects.requireNonNull(entry.getKey(), "parameter name");
      if (!ScopeParser.isParameterName(name)) {
        throw new IllegalArgumentException("not a plain search parameter name: " + name);
      }
      TreeSet<TokenValue> values = new TreeSet<>(entry.getValue());
      if (values.isEmpty()) {
        throw new IllegalArgumentException("search parameter " + name + " has no values");
      }
      copy.put(name, List.copyOf(values));
    }
    parameters = Collections.unmodifiableSortedMap(copy);
  }

  /** A filter with the given parameters; see the class comment for their meaning. */
  public static GranularFilter of(Map<String, ? extends List<TokenValue>> parameters) {
    return new GranularFilter(new TreeMap<>(parameters));
  }

  /** Whether this is {@link #NONE}, i.e. the scope is unfiltered. */
  public boolean isEmpty() {
    return parameters.isEmpty();
  }

  /** The token values one parameter accepts (any of them), or an empty list if it is not constrained. */
  public List<TokenValue> values(String parameter) {
    return parameters.getOrDefault(parameter, List.of());
  }

  /**
   * The canonical query string without the leading {@code ?}: parameters in name order joined by
   * {@code &}, values in order joined by {@code ,}; empty for {@link #NONE}.
   */
  @Override
  public String toString() {
    StringJoiner query = new StringJoiner("&");
    for (Map.Entry<String, List<TokenValue>> entry : parameters.entrySet()) {
      List<String> values = new ArrayList<>();
      for (TokenValue value : entry.getValue()) {
        values.add(value.toString());
      }
      query.add(entry.getKey() + "=" + String.join(",", values));
    }
    return query.toString();
  }
}
