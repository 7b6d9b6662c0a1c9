package dev.custodian.dicom.parse;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.Tag;
import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.json.DicomJsonWriter;
import dev.custodian.dicom.json.JsonWriterOptions;
import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.model.DicomElement;
import dev.custodian.dicom.model.DicomFile;
import dev.custodian.dicom.model.Fragment;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.Parse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncapsulatedAndStreamingTest {
    private static final TransferSyntax JPEG = TransferSyntax.forUid("1.2.840.10008.1.2.4.50");

    private static byte[] encapsulated() {
        return new DicomBuilder(JPEG)
                .str(0x00080060, Vr.CS, "CT")
                .add(new DicomBuilder.Frags(Tag.PIXEL_DATA, List.of(new byte[0], new byte[] {1, 2, 3, 4, 5, 6},
                        new byte[] {7, 8})))
                .build();
    }

    @Test
    void fragmentsArePassedThroughWithOffsets() throws IOException {
        byte[] f = encapsulated();
        assertThat(Parse.events(f, ReaderOptions.DEFAULTS)).containsExactly(
                "ELEMENT 00080060 CS 2", "FRAGMENTS_START 7FE00010 OB -1",
                "FRAGMENT 0 0", "FRAGMENT 1 6", "FRAGMENT 2 2", "FRAGMENTS_END");
        DicomElement px = Parse.model(f).dataset().get(Tag.PIXEL_DATA);
        assertThat(px.isEncapsulated()).isTrue();
        List<Fragment> frags = px.fragments();
        assertThat(frags).extracting(Fragment::length).containsExactly(0L, 6L, 2L);
        Fragment second = frags.get(1);
        assertThat(Arrays.copyOfRange(f, (int) second.offset(), (int) (second.offset() + 6)))
                .containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void fragmentValuesCanBeStreamed() throws IOException {
        try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(encapsulated()))) {
            StringBuilder seen = new StringBuilder();
            for (DicomEvent e = r.next(); e != DicomEvent.END; e = r.next()) {
                if (e == DicomEvent.FRAGMENT) {
                    seen.append(Arrays.toString(r.valueStream().readAllBytes()));
                }
            }
            assertThat(seen.toString()).isEqualTo("[][1, 2, 3, 4, 5, 6][7, 8]");
        }
    }

    @Test
    void encapsulatedPixelDataIsAlwaysABulkDataUri() throws IOException {
        DicomFile df = Parse.model(encapsulated());
        String json = DicomJsonWriter.toJson(df.dataset(),
                JsonWriterOptions.withBulkData(Long.MAX_VALUE, loc -> "bulk/" + loc.path()));
        assertThat(json).endsWith("\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"bulk/7FE00010\"}}");
        assertThat(DicomJsonWriter.toJson(df.dataset(), JsonWriterOptions.INLINE_ALL))
                .endsWith("\"7FE00010\":{\"vr\":\"OB\"}}");
    }

    @Test
    void largeValueStreamsThroughWithoutBeingHeld() throws Exception {
        byte[] pixels = new byte[8 << 20];
        new Random(7).nextBytes(pixels);
        byte[] f = new DicomBuilder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .add(new DicomBuilder.Elem(Tag.PIXEL_DATA, Vr.OB, pixels)).build();
        ReaderOptions small = ReaderOptions.DEFAULTS.withMaxValueLength(1024);
        try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(f), small, f.length)) {
            assertThat(r.next()).isEqualTo(DicomEvent.ELEMENT);
            assertThatThrownBy(r::readValue).isInstanceOf(DicomParseException.class)
                    .hasMessageContaining("in-memory limit");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream v = r.valueStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = v.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            assertThat(md.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(pixels));
            assertThat(r.next()).isEqualTo(DicomEvent.END);
        }
    }

    @Test
    void modelKeepsBulkValuesAsOffsetAndLength() throws IOException {
        byte[] blob = new byte[5000];
        Arrays.fill(blob, (byte) 9);
        byte[] f = new DicomBuilder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .str(0x00100020, Vr.LO, "P1")
                .add(new DicomBuilder.Elem(Tag.PIXEL_DATA, Vr.OW, blob)).build();
        DicomFile df = DatasetReader.read(new ByteArrayInputStream(f), 1024);
        DicomElement px = df.dataset().get(Tag.PIXEL_DATA);
        assertThat(px.isBulk()).isTrue();
        assertThat(px.valueLength()).isEqualTo(5000);
        assertThat(f[(int) px.valueOffset()]).isEqualTo((byte) 9);
        assertThat(px.valueOffset() + 5000).isEqualTo(f.length);
        assertThat(df.dataset().string(0x00100020)).isEqualTo("P1");
    }

    @Test
    void skippingUnreadValuesKeepsTheStreamInStep() throws IOException {
        byte[] f = new DicomBuilder(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)
                .add(new DicomBuilder.Elem(0x00091010, Vr.OB, new byte[100]))
                .str(0x00100020, Vr.LO, "AFTER").build();
        try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(f))) {
            r.next();
            r.valueStream().read(new byte[10]); // partly read, rest skipped by next()
            assertThat(r.next()).isEqualTo(DicomEvent.ELEMENT);
            assertThat(new String(r.readValue())).isEqualTo("AFTER ");
        }
    }
}
