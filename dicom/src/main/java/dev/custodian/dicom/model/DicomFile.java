package dev.custodian.dicom.model;

import dev.custodian.dicom.parse.FileMetaInformation;

/**
 * A Part 10 file read into memory, bulk values left in the source.
 *
 * @param offsetsAreInflated value offsets count from the start of the inflated data
 *                           set (deflated transfer syntax) rather than the file
 */
public record DicomFile(FileMetaInformation meta, Dataset dataset, boolean offsetsAreInflated) {
}
