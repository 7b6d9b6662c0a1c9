package dev.custodian.dicom.testutil;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares our DICOM JSON with dcm2json's, allowing only the differences
 * documented in dicom/README.md; each allowed difference is counted by kind so the
 * report can say how often it occurred. Anything else is a reported difference.
 */
public final class JsonComparator {
    /** Allowed difference kinds and how often they were seen. */
    public final Map<String, Integer> allowed = new TreeMap<>();
    /** Real differences, as "path: what". */
    public final List<String> differences = new ArrayList<>();

    private final boolean pixelDataStripped;

    /**
     * @param pixelDataStripped dcm2json saw a copy without (7FE0,0010) (it refuses
     *                          encapsulated pixel data), so ours is compared without it too
     */
    public JsonComparator(boolean pixelDataStripped) {
        this.pixelDataStripped = pixelDataStripped;
    }

    @SuppressWarnings("unchecked")
    public void compareDatasets(Object theirs, Object ours) {
        dataset((Map<String, Object>) theirs, (Map<String, Object>) ours, "", true);
    }

    private void allow(String kind) {
        allowed.merge(kind, 1, Integer::sum);
    }

    private void diff(String path, String what) {
        if (differences.size() < 50) {
            differences.add(path + ": " + what);
        }
    }

    @SuppressWarnings("unchecked")
    private void dataset(Map<String, Object> theirs, Map<String, Object> ours, String path, boolean top) {
        List<String> ourKeys = new ArrayList<>(ours.keySet());
        List<String> sorted = new ArrayList<>(new TreeSet<>(ourKeys));
        if (!ourKeys.equals(sorted)) {
            diff(path, "our keys are not in ascending order");
        }
        TreeSet<String> keys = new TreeSet<>(theirs.keySet());
        keys.addAll(ours.keySet());
        for (String key : keys) {
            Map<String, Object> t = (Map<String, Object>) theirs.get(key);
            Map<String, Object> o = (Map<String, Object>) ours.get(key);
            String p = path + key;
            if (key.equals("FFFCFFFC") && o == null) {
                allow("Data Set Trailing Padding (FFFC,FFFC) omitted");
                continue;
            }
            if (key.equals("7FE00010") && top && pixelDataStripped) {
                allow("encapsulated pixel data: dcm2json cannot write it, compared without");
                continue;
            }
            if (t == null || o == null) {
                diff(p, t == null ? "only in ours" : "only in dcm2json's");
                continue;
            }
            attribute(key, t, o, p);
        }
    }

    @SuppressWarnings("unchecked")
    private void attribute(String key, Map<String, Object> t, Map<String, Object> o, String p) {
        String tvr = (String) t.get("vr");
        String ovr = (String) o.get("vr");
        if (o.containsKey("BulkDataURI")) {
            diff(p, "unexpected BulkDataURI in comparison mode");
            return;
        }
        if (!Objects.equals(tvr, ovr)) {
            boolean privateTag = (Integer.parseInt(key.substring(3, 4), 16) & 1) == 1;
            if (privateTag && "UN".equals(ovr)) {
                allow("private element in implicit VR: UN (dcmtk knows private dictionaries)");
                return;
            }
            diff(p, "vr " + tvr + " vs ours " + ovr);
            return;
        }
        if (key.equals("00080005") && !Objects.equals(t.get("Value"), o.get("Value"))) {
            allow("Specific Character Set kept as in the file (dcm2json rewrites it to ISO_IR 192)");
            return;
        }
        if (!Objects.equals(t.get("InlineBinary"), o.get("InlineBinary"))) {
            diff(p, "InlineBinary differs");
        }
        List<Object> tv = (List<Object>) t.get("Value");
        List<Object> ov = (List<Object>) o.get("Value");
        if (tv == null || ov == null) {
            if (tv != ov) {
                diff(p, "Value " + (tv == null ? "only in ours: " + ov : "only in dcm2json's: " + tv));
            }
            return;
        }
        if (tv.size() != ov.size()) {
            diff(p, "value count " + tv.size() + " vs ours " + ov.size() + ": " + tv + " vs " + ov);
            return;
        }
        for (int i = 0; i < tv.size(); i++) {
            value(tvr, tv.get(i), ov.get(i), p + "[" + i + "]");
        }
    }

    @SuppressWarnings("unchecked")
    private void value(String vr, Object t, Object o, String p) {
        if ("SQ".equals(vr)) {
            dataset((Map<String, Object>) t, (Map<String, Object>) o, p + "/", false);
            return;
        }
        if (t instanceof BigDecimal tb && o instanceof BigDecimal ob) {
            boolean same = switch (vr) {
                case "FL" -> tb.floatValue() == ob.floatValue();
                case "FD" -> tb.doubleValue() == ob.doubleValue();
                default -> tb.compareTo(ob) == 0;
            };
            if (!same) {
                diff(p, vr + " " + tb + " vs ours " + ob);
            } else if (!tb.toString().equals(ob.toString())) {
                allow("number spelled differently, same value (" + vr + ")");
            }
            return;
        }
        if (!Objects.equals(t, o)) {
            diff(p, vr + " " + show(t) + " vs ours " + show(o));
        }
    }

    private static String show(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
