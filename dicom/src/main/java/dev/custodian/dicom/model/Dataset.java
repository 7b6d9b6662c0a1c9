package dev.custodian.dicom.model;

import dev.custodian.dicom.Vr;
import dev.custodian.dicom.text.SpecificCharacterSet;
import dev.custodian.dicom.text.TextValues;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * A data set or sequence item: elements in ascending tag order, plus the Specific
 * Character Set that decodes its text (inherited from the enclosing data set
 * unless the item has its own (0008,0005)).
 */
public final class Dataset {
    private final TreeMap<Integer, DicomElement> elements = new TreeMap<>(Integer::compareUnsigned);
    private SpecificCharacterSet characterSet;

    public Dataset(SpecificCharacterSet characterSet) {
        this.characterSet = characterSet;
    }

    /** Adds an element; returns false (and keeps the first) if the tag is already present. */
    boolean add(DicomElement e) {
        return elements.putIfAbsent(e.tag(), e) == null;
    }

    void setCharacterSet(SpecificCharacterSet cs) {
        this.characterSet = cs;
    }

    public SpecificCharacterSet characterSet() {
        return characterSet;
    }

    public DicomElement get(int tag) {
        return elements.get(tag);
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** Elements in ascending (unsigned) tag order. */
    public Collection<DicomElement> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    public int size() {
        return elements.size();
    }

    /** All values of a text element, padding removed; empty list if absent, empty or not text. */
    public List<String> strings(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.bytes() == null || !e.vr().isText() || e.bytes().length == 0) {
            return List.of();
        }
        SpecificCharacterSet cs = e.vr().kind() == Vr.Kind.TEXT ? characterSet : SpecificCharacterSet.DEFAULT;
        return TextValues.split(cs.decode(e.bytes()), e.vr());
    }

    /** The first value of a text element, or null if absent or empty. */
    public String string(int tag) {
        List<String> v = strings(tag);
        return v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
    }
}
