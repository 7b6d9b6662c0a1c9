package dev.custodian.dicom.parse;

import dev.custodian.dicom.Tag;
import dev.custodian.dicom.TransferSyntax;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;

/**
 * The file meta information group (0002,eeee) of a Part 10 file. All its elements
 * are short ASCII/UI or OB values, so they are kept in memory as raw bytes.
 *
 * @param transferSyntax  how the data set that follows is encoded
 * @param elements        every meta element's raw value (little endian), by tag
 * @param dataSetOffset   byte offset in the file where the data set starts
 */
public record FileMetaInformation(TransferSyntax transferSyntax, SortedMap<Integer, byte[]> elements,
                                  long dataSetOffset) {

    public FileMetaInformation {
        elements = Collections.unmodifiableSortedMap(elements);
    }

    /** A meta element as text with padding (space, NUL) removed, or null if absent. */
    public String string(int tag) {
        byte[] v = elements.get(tag);
        if (v == null) {
            return null;
        }
        int end = v.length;
        while (end > 0 && (v[end - 1] == 0 || v[end - 1] == ' ')) {
            end--;
        }
        int start = 0;
        while (start < end && v[start] == ' ') {
            start++;
        }
        return new String(v, start, end - start, StandardCharsets.ISO_8859_1);
    }

    public String transferSyntaxUid() {
        return transferSyntax.uid();
    }

    public String mediaStorageSopClassUid() {
        return string(Tag.MEDIA_STORAGE_SOP_CLASS_UID);
    }

    public String mediaStorageSopInstanceUid() {
        return string(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID);
    }

    public String implementationClassUid() {
        return string(Tag.IMPLEMENTATION_CLASS_UID);
    }

    public String implementationVersionName() {
        return string(Tag.IMPLEMENTATION_VERSION_NAME);
    }

    public String sourceApplicationEntityTitle() {
        return string(Tag.SOURCE_APPLICATION_ENTITY_TITLE);
    }

    Map<Integer, byte[]> raw() {
        return elements;
    }
}
