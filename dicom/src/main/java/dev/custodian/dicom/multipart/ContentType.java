package dev.custodian.dicom.multipart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed Content-Type header (RFC 2045 5.1): media type plus parameters, whose
 * values may be tokens or quoted strings. Names are case-insensitive (lowercased).
 */
public record ContentType(String mediaType, Map<String, String> parameters) {

    public ContentType {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    public static ContentType parse(String header) throws MultipartParseException {
        if (header == null) {
            throw new MultipartParseException("no Content-Type");
        }
        int semi = header.indexOf(';');
        String type = (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        if (slash <= 0 || slash == type.length() - 1) {
            throw new MultipartParseException("malformed media type '" + type + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = semi < 0 ? header.length() : semi + 1;
        while (i < header.length()) {
            i = skipSpace(header, i);
            if (i >= header.length()) {
                break;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                throw new MultipartParseException("parameter without '=' in Content-Type");
            }
            String name = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = skipSpace(header, eq + 1);
            StringBuilder value = new StringBuilder();
            if (i < header.length() && header.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < header.length()) {
                    char c = header.charAt(i++);
                    if (c == '\\' && i < header.length()) {
                        value.append(header.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new MultipartParseException("unterminated quoted parameter '" + name + "'");
                }
                i = skipSpace(header, i);
                if (i < header.length() && header.charAt(i) != ';') {
                    throw new MultipartParseException("text after quoted parameter '" + name + "'");
                }
            } else {
                int end = header.indexOf(';', i);
                end = end < 0 ? header.length() : end;
                value.append(header, i, end);
                i = end;
                String v = value.toString().trim();
                value.setLength(0);
                value.append(v);
            }
            if (name.isEmpty()) {
                throw new MultipartParseException("empty parameter name in Content-Type");
            }
            params.putIfAbsent(name, value.toString());
            if (i < header.length() && header.charAt(i) == ';') {
                i++;
            }
        }
        return new ContentType(type, params);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** Quotes a parameter value if it is not a plain token. */
    static String quoteIfNeeded(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            }
        }
        return v;
    }
}
