package dev.custodian.dicom.parse;

/** What {@link DicomStreamReader#next()} found. */
public enum DicomEvent {
    /** A non-sequence element; its value is pending (read, stream or let next() skip it). */
    ELEMENT,
    /** A sequence (SQ, or UN with undefined length per CP-246) begins. */
    SEQUENCE_START,
    ITEM_START,
    ITEM_END,
    SEQUENCE_END,
    /** Encapsulated pixel data (undefined length) begins; fragments follow. */
    FRAGMENTS_START,
    /** One fragment; the first is the Basic Offset Table. Its value is pending. */
    FRAGMENT,
    FRAGMENTS_END,
    /** End of the data set; next() keeps returning this. */
    END
}
