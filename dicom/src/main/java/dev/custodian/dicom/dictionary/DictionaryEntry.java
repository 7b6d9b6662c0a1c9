package dev.custodian.dicom.dictionary;

import dev.custodian.dicom.Vr;

import java.util.List;

/**
 * One data dictionary entry. {@code vrs} has more than one VR for the few
 * attributes whose VR depends on context (PS3.6 "US or SS", "OB or OW").
 */
public record DictionaryEntry(int tag, List<Vr> vrs, String vm, String keyword, boolean retired) {

    /** The VR to assume when the encoding does not say (implicit VR). */
    public Vr defaultVr() {
        return vrs.get(0);
    }
}
