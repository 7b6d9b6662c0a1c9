package dev.custodian.dicom.model;

/**
 * One item of encapsulated pixel data: where its bytes are (after the item header)
 * and how many. Fragment 0 is the Basic Offset Table. Bytes are never decoded.
 */
public record Fragment(long offset, long length) {
}
