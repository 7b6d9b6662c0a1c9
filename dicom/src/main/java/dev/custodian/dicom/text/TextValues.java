package dev.custodian.dicom.text;

import dev.custodian.dicom.Vr;

import java.util.ArrayList;
import java.util.List;

/** Splitting and padding rules for text values (PS3.5 6.2). */
public final class TextValues {
    private TextValues() {
    }

    /**
     * Splits a decoded value into its values on backslash (for VRs that are
     * multi-valued) and removes insignificant padding from each. Decode before
     * splitting: in some multi-byte sets a 0x5C byte is part of a character.
     */
    public static List<String> split(String value, Vr vr) {
        List<String> out = new ArrayList<>();
        if (!vr.isMultiValuedText()) {
            out.add(trim(value, vr));
            return out;
        }
        int start = 0;
        while (true) {
            int bs = value.indexOf('\\', start);
            if (bs < 0) {
                out.add(trim(value.substring(start), vr));
                return out;
            }
            out.add(trim(value.substring(start, bs), vr));
            start = bs + 1;
        }
    }

    /**
     * Removes padding: trailing spaces (and NULs, which UI uses and some writers use
     * everywhere) always; leading spaces too where PS3.5 calls them insignificant.
     * Leading spaces of ST, LT, UT, UC, PN and UR are part of the value.
     */
    public static String trim(String s, Vr vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        int start = 0;
        if (leadingSpacesInsignificant(vr)) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    private static boolean leadingSpacesInsignificant(Vr vr) {
        return switch (vr) {
            case AE, AS, CS, DA, DS, DT, IS, LO, SH, TM, UI -> true;
            default -> false;
        };
    }
}
