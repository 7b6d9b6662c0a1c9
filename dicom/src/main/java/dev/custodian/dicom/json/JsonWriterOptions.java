package dev.custodian.dicom.json;

/**
 * @param inlineBinaryMax binary values (OB, OW, OD, OF, OL, OV, UN) up to this many
 *                        bytes are written as InlineBinary; larger ones as BulkDataURI
 * @param uriMaker        makes BulkDataURIs; null means there are none (large binary
 *                        values in memory are then inlined, those not in memory omitted)
 */
public record JsonWriterOptions(long inlineBinaryMax, BulkDataUriMaker uriMaker) {

    /** Inline everything in memory; no BulkDataURIs. */
    public static final JsonWriterOptions INLINE_ALL = new JsonWriterOptions(Long.MAX_VALUE, null);

    public static JsonWriterOptions withBulkData(long inlineBinaryMax, BulkDataUriMaker uriMaker) {
        return new JsonWriterOptions(inlineBinaryMax, uriMaker);
    }
}
