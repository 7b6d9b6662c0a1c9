package dev.custodian.dicom.text;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes text values (SH, LO, ST, LT, UC, UT, PN) per Specific Character Set
 * (0008,0005).
 *
 * <p>Supported: the default repertoire, the single-byte ISO_IR sets (Latin-1..9,
 * Cyrillic, Arabic, Greek, Hebrew, Thai, Japanese katakana), their "ISO 2022 IR n"
 * forms when no code extension is used, UTF-8 (ISO_IR 192), GB18030 and GBK.
 * Multi-byte ISO 2022 code extensions (e.g. ISO 2022 IR 87 for Japanese kanji)
 * switch sets with escape sequences inside a value; we do not implement that and
 * report such values as unsupported rather than decode them wrongly.
 *
 * <p>The default repertoire is decoded as ISO-8859-1: it equals ASCII on valid
 * input, and bytes above 0x7F (invalid, but common from devices that forget the
 * attribute) come out as Latin-1 instead of replacement characters.
 */
public final class SpecificCharacterSet {

    public static final SpecificCharacterSet DEFAULT =
            new SpecificCharacterSet(List.of(), StandardCharsets.ISO_8859_1);

    private static final Map<String, String> TERMS = Map.ofEntries(
            Map.entry("ISO_IR 6", "ISO-8859-1"),
            Map.entry("ISO_IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"),
            Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"),
            Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"),
            Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"),
            Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"),
            Map.entry("ISO_IR 13", "JIS_X0201"),
            Map.entry("ISO_IR 166", "TIS-620"),
            Map.entry("ISO_IR 192", "UTF-8"),
            Map.entry("GB18030", "GB18030"),
            Map.entry("GBK", "GBK"));

    private final List<String> terms;
    private final Charset charset;

    private SpecificCharacterSet(List<String> terms, Charset charset) {
        this.terms = terms;
        this.charset = charset;
    }

    /**
     * The character set for the values of (0008,0005), already split on backslash.
     *
     * @throws UnsupportedCharacterSetException if a term is unknown or needs ISO 2022
     *                                          code extensions we do not implement
     */
    public static SpecificCharacterSet of(List<String> values) throws UnsupportedCharacterSetException {
        List<String> cleaned = values.stream().map(String::strip).toList();
        if (cleaned.isEmpty() || cleaned.stream().allMatch(String::isEmpty)) {
            return DEFAULT;
        }
        // With code extensions the first value may be empty (= default repertoire in G0).
        // We accept exactly one non-default term; a second set would need escape switching.
        String chosen = null;
        for (int i = 0; i < cleaned.size(); i++) {
            String term = cleaned.get(i);
            if (term.isEmpty() || term.equals("ISO 2022 IR 6") || term.equals("ISO_IR 6")) {
                continue;
            }
            if (chosen != null) {
                throw new UnsupportedCharacterSetException(String.join("\\", values));
            }
            chosen = term;
        }
        if (chosen == null) {
            return DEFAULT;
        }
        String key = chosen.toUpperCase(Locale.ROOT);
        if (key.startsWith("ISO 2022 IR ")) {
            // "ISO 2022 IR 100" is ISO_IR 100 announced with code extensions; with a
            // single set in use there is nothing to switch, so it decodes the same.
            key = "ISO_IR " + key.substring("ISO 2022 IR ".length());
            if (key.equals("ISO_IR 192")) {
                key = "unsupported";
            }
        }
        String javaName = TERMS.get(key);
        if (javaName == null || !Charset.isSupported(javaName)) {
            throw new UnsupportedCharacterSetException(String.join("\\", values));
        }
        return new SpecificCharacterSet(List.copyOf(cleaned), Charset.forName(javaName));
    }

    /** Decodes a text value (whole value, before splitting on backslash). */
    public String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, charset);
    }

    public String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** The terms as found in the data set; empty for the default repertoire. */
    public List<String> terms() {
        return terms;
    }

    public Charset charset() {
        return charset;
    }

    @Override
    public String toString() {
        return terms.isEmpty() ? "default repertoire" : String.join("\\", terms);
    }
}
