package dev.custodian.dicom.json;

import dev.custodian.dicom.model.DicomElement;

/**
 * Where a bulk value sits: its attribute path in the data set and the element,
 * which carries the value's offset and length in the source (or its fragments).
 *
 * @param path tags and item indexes from the top level, e.g. "7FE00010" or
 *             "00540016/0/00181072" (item numbers count from 0)
 */
public record BulkDataLocation(String path, DicomElement element) {
}
