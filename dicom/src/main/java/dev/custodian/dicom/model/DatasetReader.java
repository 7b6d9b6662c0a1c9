package dev.custodian.dicom.model;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.Tag;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.parse.DicomEvent;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.parse.ReaderOptions;
import dev.custodian.dicom.text.SpecificCharacterSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;

/**
 * Reads a whole data set into the small in-memory model. Values of bulk-capable VRs
 * (OB, OW, UN, UT, ... see {@link Vr#mayBeBulkData()}) longer than the bulk
 * threshold, and every fragment of encapsulated pixel data, stay in the source and
 * are recorded by offset and length only, so memory is bounded by the header size.
 */
public final class DatasetReader {
    /** Default bulk threshold: values above this many bytes are not loaded. */
    public static final long DEFAULT_BULK_THRESHOLD = 1024;
    /** A data set with more elements than this is refused (memory bound for the model). */
    public static final int MAX_ELEMENTS = 1_000_000;

    private DatasetReader() {
    }

    public static DicomFile read(InputStream in, long bulkThreshold) throws IOException {
        try (DicomStreamReader r = DicomStreamReader.open(in, ReaderOptions.DEFAULTS, -1)) {
            return read(r, bulkThreshold);
        }
    }

    public static DicomFile read(Path file, long bulkThreshold) throws IOException {
        try (DicomStreamReader r = DicomStreamReader.open(file, ReaderOptions.DEFAULTS)) {
            return read(r, bulkThreshold);
        }
    }

    /** Reads the rest of the data set from a freshly opened reader (does not close it). */
    public static DicomFile read(DicomStreamReader r, long bulkThreshold) throws IOException {
        Dataset root = new Dataset(SpecificCharacterSet.DEFAULT);
        Deque<Dataset> datasets = new ArrayDeque<>();
        Deque<DicomElement> containers = new ArrayDeque<>();
        datasets.push(root);
        int count = 0;
        for (DicomEvent e = r.next(); e != DicomEvent.END; e = r.next()) {
            switch (e) {
                case ELEMENT -> {
                    if (++count > MAX_ELEMENTS) {
                        throw new DicomParseException(r.valueOffset(), "more than " + MAX_ELEMENTS + " elements");
                    }
                    add(r, datasets.peek(), element(r, bulkThreshold));
                    if (r.tag() == Tag.SPECIFIC_CHARACTER_SET) {
                        datasets.peek().setCharacterSet(r.characterSet());
                    }
                }
                case SEQUENCE_START -> {
                    DicomElement sq = DicomElement.ofSequence(r.tag(), r.valueOffset(), r.length(), new ArrayList<>());
                    add(r, datasets.peek(), sq);
                    containers.push(sq);
                }
                case ITEM_START -> {
                    Dataset item = new Dataset(datasets.peek().characterSet());
                    itemsOf(containers.peek()).add(item);
                    datasets.push(item);
                }
                case ITEM_END -> datasets.pop();
                case SEQUENCE_END, FRAGMENTS_END -> containers.pop();
                case FRAGMENTS_START -> {
                    DicomElement px = DicomElement.ofFragments(r.tag(), r.vr(), r.valueOffset(), new ArrayList<>());
                    add(r, datasets.peek(), px);
                    containers.push(px);
                }
                case FRAGMENT -> {
                    fragmentsOf(containers.peek()).add(new Fragment(r.valueOffset(), r.length()));
                    if (++count > MAX_ELEMENTS) {
                        throw new DicomParseException(r.valueOffset(), "more than " + MAX_ELEMENTS + " fragments");
                    }
                }
                default -> throw new IllegalStateException("unexpected event " + e);
            }
        }
        return new DicomFile(r.fileMeta(), root, r.offsetsAreInflated());
    }

    private static DicomElement element(DicomStreamReader r, long bulkThreshold) throws IOException {
        Vr vr = r.vr();
        if (vr.mayBeBulkData() && r.length() > bulkThreshold) {
            return DicomElement.ofBulk(r.tag(), vr, r.valueOffset(), r.length());
        }
        byte[] value = r.readValue();
        if (r.valueBigEndian()) {
            ByteSwap.swap(value, vr.unitSize());
        }
        return DicomElement.ofBytes(r.tag(), vr, r.valueOffset(), value);
    }

    private static void add(DicomStreamReader r, Dataset ds, DicomElement e) throws DicomParseException {
        if (!ds.add(e)) {
            throw new DicomParseException(e.valueOffset(), "duplicate element " + Tag.toString(e.tag()));
        }
    }

    // The package-private mutable lists behind the unmodifiable views.
    private static java.util.List<Dataset> itemsOf(DicomElement sq) {
        return sq.mutableItems();
    }

    private static java.util.List<Fragment> fragmentsOf(DicomElement px) {
        return px.mutableFragments();
    }
}
