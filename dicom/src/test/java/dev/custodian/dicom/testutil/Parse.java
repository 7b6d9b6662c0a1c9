package dev.custodian.dicom.testutil;

import dev.custodian.dicom.json.DicomJsonWriter;
import dev.custodian.dicom.json.JsonWriterOptions;
import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.model.DicomFile;
import dev.custodian.dicom.parse.DicomEvent;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.parse.ReaderOptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Shortcuts for tests. */
public final class Parse {
    private Parse() {
    }

    public static DicomFile model(byte[] file) throws IOException {
        try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(file), ReaderOptions.DEFAULTS,
                file.length)) {
            return DatasetReader.read(r, Long.MAX_VALUE);
        }
    }

    public static String json(byte[] file) throws IOException {
        return DicomJsonWriter.toJson(model(file).dataset(), JsonWriterOptions.INLINE_ALL);
    }

    /** The events as strings like "ELEMENT 00100010 PN 8", for asserting structure. */
    public static List<String> events(byte[] file, ReaderOptions options) throws IOException {
        List<String> out = new ArrayList<>();
        try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(file), options, file.length)) {
            for (DicomEvent e = r.next(); e != DicomEvent.END; e = r.next()) {
                out.add(switch (e) {
                    case ELEMENT, SEQUENCE_START, FRAGMENTS_START ->
                            e + " " + dev.custodian.dicom.Tag.toHex(r.tag()) + " " + r.vr() + " " + r.length();
                    case FRAGMENT -> e + " " + r.index() + " " + r.length();
                    default -> e.toString();
                });
            }
        }
        return out;
    }
}
