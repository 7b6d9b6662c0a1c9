package dev.custodian.dicom.parse;

/**
 * Limits that keep a hostile file from costing unbounded time or memory.
 *
 * @param maxValueLength    largest value {@link DicomStreamReader#readValue()} will put in memory;
 *                          larger values must be streamed or skipped
 * @param maxDepth          deepest sequence nesting accepted
 * @param maxInflatedLength largest inflated data set accepted for the deflated transfer syntax
 *                          (a deflate bomb stops here instead of inflating for minutes)
 * @param maxMetaLength     largest file meta information group accepted
 * @param allowOddLengths   PS3.5 7.1.1 requires even value lengths; true accepts odd ones
 *                          from non-conforming writers. Odd fragment lengths in
 *                          encapsulated pixel data are always accepted (opaque bytes).
 */
public record ReaderOptions(long maxValueLength, int maxDepth, long maxInflatedLength,
                            int maxMetaLength, boolean allowOddLengths) {

    public static final ReaderOptions DEFAULTS =
            new ReaderOptions(64L << 20, 64, 1L << 30, 64 << 10, false);

    public ReaderOptions {
        if (maxValueLength < 0 || maxValueLength > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxValueLength out of range");
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be positive");
        }
    }

    public ReaderOptions withMaxValueLength(long v) {
        return new ReaderOptions(v, maxDepth, maxInflatedLength, maxMetaLength, allowOddLengths);
    }

    public ReaderOptions withMaxDepth(int v) {
        return new ReaderOptions(maxValueLength, v, maxInflatedLength, maxMetaLength, allowOddLengths);
    }

    public ReaderOptions withMaxInflatedLength(long v) {
        return new ReaderOptions(maxValueLength, maxDepth, v, maxMetaLength, allowOddLengths);
    }

    public ReaderOptions withAllowOddLengths(boolean v) {
        return new ReaderOptions(maxValueLength, maxDepth, maxInflatedLength, maxMetaLength, v);
    }
}
