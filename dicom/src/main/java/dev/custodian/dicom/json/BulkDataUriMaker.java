package dev.custodian.dicom.json;

/**
 * Makes the BulkDataURI for a value the JSON writer does not inline. Return null
 * to omit the value (only "vr" is written), e.g. when the caller may not reveal it.
 */
@FunctionalInterface
public interface BulkDataUriMaker {
    String uriFor(BulkDataLocation location);
}
