package dev.custodian.dicom.model;

import dev.custodian.dicom.Tag;
import dev.custodian.dicom.Vr;

import java.util.Collections;
import java.util.List;

/**
 * One data element of the in-memory model. Exactly one of these holds its value:
 * <ul>
 *   <li>{@link #bytes()}: the value, with multi-byte numbers in little endian
 *       whatever the transfer syntax was (the DICOM JSON byte order);</li>
 *   <li>{@link #items()}: a sequence;</li>
 *   <li>{@link #fragments()}: encapsulated pixel data, left in the source;</li>
 *   <li>none of them ({@link #isBulk()}): a large value left in the source at
 *       {@link #valueOffset()}/{@link #valueLength()}.</li>
 * </ul>
 */
public final class DicomElement {
    private final int tag;
    private final Vr vr;
    private final long valueOffset;
    private final long valueLength;
    private final byte[] bytes;
    private final List<Dataset> items;
    private final List<Fragment> fragments;

    private DicomElement(int tag, Vr vr, long valueOffset, long valueLength, byte[] bytes,
                         List<Dataset> items, List<Fragment> fragments) {
        this.tag = tag;
        this.vr = vr;
        this.valueOffset = valueOffset;
        this.valueLength = valueLength;
        this.bytes = bytes;
        this.items = items;
        this.fragments = fragments;
    }

    /** An element whose (little endian) value is in memory. */
    public static DicomElement ofBytes(int tag, Vr vr, long valueOffset, byte[] littleEndianValue) {
        return new DicomElement(tag, vr, valueOffset, littleEndianValue.length, littleEndianValue, null, null);
    }

    /** An element whose value stays in the source. */
    public static DicomElement ofBulk(int tag, Vr vr, long valueOffset, long valueLength) {
        return new DicomElement(tag, vr, valueOffset, valueLength, null, null, null);
    }

    /** A sequence; items are added while reading. */
    public static DicomElement ofSequence(int tag, long valueOffset, long valueLength, List<Dataset> items) {
        return new DicomElement(tag, Vr.SQ, valueOffset, valueLength, null, items, null);
    }

    /** Encapsulated pixel data; fragments are added while reading. */
    public static DicomElement ofFragments(int tag, Vr vr, long valueOffset, List<Fragment> fragments) {
        return new DicomElement(tag, vr, valueOffset, -1, null, null, fragments);
    }

    public int tag() {
        return tag;
    }

    public Vr vr() {
        return vr;
    }

    /** Offset of the value in the data set stream (after the element header). */
    public long valueOffset() {
        return valueOffset;
    }

    /** Value length in bytes; -1 for undefined length (sequences, encapsulated pixel data). */
    public long valueLength() {
        return valueLength;
    }

    /** The value in little endian, or null if not in memory. Do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    public List<Dataset> items() {
        return items == null ? null : Collections.unmodifiableList(items);
    }

    public List<Fragment> fragments() {
        return fragments == null ? null : Collections.unmodifiableList(fragments);
    }

    List<Dataset> mutableItems() {
        return items;
    }

    List<Fragment> mutableFragments() {
        return fragments;
    }

    public boolean isSequence() {
        return items != null;
    }

    public boolean isEncapsulated() {
        return fragments != null;
    }

    /** The value was left in the source because it was larger than the bulk threshold. */
    public boolean isBulk() {
        return bytes == null && items == null && fragments == null;
    }

    /** True if the element has no value (length 0, or a sequence without items). */
    public boolean isEmpty() {
        if (items != null) {
            return items.isEmpty();
        }
        return fragments == null && valueLength == 0;
    }

    @Override
    public String toString() {
        return Tag.toString(tag) + " " + vr + " #" + valueLength;
    }
}
