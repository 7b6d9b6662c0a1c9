package dev.custodian.server.audit.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The {@code date} parameter of an audit search as an inclusive window of recorded instants.
 *
 * <p>Written here rather than taken from HAPI's {@code DateRangeParam} instants, which widen
 * date-only bounds by the largest time-zone offset: an auditor asking for {@code date=2026-06-10}
 * must not get events of 9 June. Dates without a time are UTC days (months, years). Exclusive ends
 * step back one microsecond, the precision PostgreSQL keeps.
 */
record RecordedWindow(Instant from, Instant to) {

  static RecordedWindow of(DateRangeParam range) {
    if (range == null) {
      return new RecordedWindow(null, null);
    }
    Instant from = null;
    Instant to = null;
    for (DateParam bound : range.getValuesAsQueryTokens()) {
      ParamPrefixEnum prefix = bound.getPrefix() == null ? ParamPrefixEnum.EQUAL : bound.getPrefix();
      Instant start = start(bound);
      Instant end = end(bound, start); // exclusive
      switch (prefix) {
        case EQUAL -> {
          from = later(from, start);
          to = earlier(to, end.minus(1, ChronoUnit.MICROS));
        }
        case GREATERTHAN_OR_EQUALS, STARTS_AFTER -> from = later(from, prefix == ParamPrefixEnum.STARTS_AFTER ? end : start);
        case GREATERTHAN -> from = later(from, end);
        case LESSTHAN_OR_EQUALS -> to = earlier(to, end.minus(1, ChronoUnit.MICROS));
        case LESSTHAN, ENDS_BEFORE -> to = earlier(to, start.minus(1, ChronoUnit.MICROS));
        default -> throw new InvalidRequestException("AuditEvent date takes the prefixes eq, ge, gt, le, lt, sa, eb");
      }
    }
    return new RecordedWindow(from, to);
  }

  private static Instant start(DateParam bound) {
    String value = bound.getValueAsString();
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException("AuditEvent date needs a value");
    }
    try {
      return switch (value.length()) {
        case 4 -> LocalDate.of(Integer.parseInt(value), 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
        case 7 -> YearMonth.parse(value).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        case 10 -> LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        default -> bound.getValue().toInstant();
      };
    } catch (RuntimeException e) {
      throw new InvalidRequestException("AuditEvent date is not a FHIR date or dateTime: " + value);
    }
  }

  private static Instant end(DateParam bound, Instant start) {
    TemporalPrecisionEnum precision = bound.getPrecision();
    var utc = start.atZone(ZoneOffset.UTC);
    return switch (precision == null ? TemporalPrecisionEnum.MILLI : precision) {
      case YEAR -> utc.plusYears(1).toInstant();
      case MONTH -> utc.plusMonths(1).toInstant();
      case DAY -> utc.plusDays(1).toInstant();
      case MINUTE -> start.plus(1, ChronoUnit.MINUTES);
      case SECOND -> start.plus(1, ChronoUnit.SECONDS);
      case MILLI -> start.plus(1, ChronoUnit.MILLIS);
    };
  }

  private static Instant later(Instant current, Instant candidate) {
    return current == null || candidate.isAfter(current) ? candidate : current;
  }

  private static Instant earlier(Instant current, Instant candidate) {
    return current == null || candidate.isBefore(current) ? candidate : current;
  }
}
