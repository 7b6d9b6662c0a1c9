package dev.custodian.dicom.json;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Turns IS/DS text and binary floats into JSON number tokens. DICOM allows number
 * spellings JSON does not ("+1", ".5", "5.", "007"); those are normalized through
 * BigDecimal. Text that is no number at all, and NaN/Infinity, return null so the
 * caller can fall back to a JSON string rather than emit invalid JSON.
 */
final class NumberText {
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private NumberText() {
    }

    /** A JSON number for decimal/integer string text, or null if it is not a number. */
    static String fromDecimalString(String s) {
        if (s.length() > 64) {
            return null; // IS is at most 12 bytes, DS 16; no need to parse megabytes
        }
        if (JSON_NUMBER.matcher(s).matches()) {
            return s;
        }
        try {
            String normalized = new BigDecimal(s).toString();
            return JSON_NUMBER.matcher(normalized).matches() ? normalized : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String fromFloat(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return null;
        }
        if (f == Math.rint(f) && Math.abs(f) < 1e7f) {
            return Long.toString((long) f);
        }
        return Float.toString(f);
    }

    static String fromDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
