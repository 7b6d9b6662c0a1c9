package dev.custodian.dicom.multipart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Headers of one body part, in order; lookups ignore case. */
public final class PartHeaders {
    private final List<Map.Entry<String, String>> entries;

    public PartHeaders(List<Map.Entry<String, String>> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The first value of a header, or null. */
    public String get(String name) {
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** Content-Type of the part; RFC 2046 says text/plain when absent, we return null. */
    public String contentType() {
        return get("Content-Type");
    }

    public List<Map.Entry<String, String>> entries() {
        return Collections.unmodifiableList(entries);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : entries) {
            sb.append(e.getKey().toLowerCase(Locale.ROOT)).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }
}
