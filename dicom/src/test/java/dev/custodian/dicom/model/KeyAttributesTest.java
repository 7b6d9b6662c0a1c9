package dev.custodian.dicom.model;

import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.Parse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class KeyAttributesTest {

    private static byte[] file() {
        return new DicomBuilder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .str(0x00080005, Vr.CS, "ISO_IR 100")
                .str(0x00080016, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .str(0x00080018, Vr.UI, "1.2.3.4.5.6")
                .str(0x00080020, Vr.DA, "20240102")
                .str(0x00080030, Vr.TM, "101112")
                .str(0x00080050, Vr.SH, "ACC1")
                .str(0x00080060, Vr.CS, "CT")
                .add(DicomBuilder.seq(0x00081115, true, DicomBuilder.item(true,
                        DicomBuilder.text(0x00100020, Vr.LO, "NESTED", java.nio.charset.StandardCharsets.US_ASCII))))
                .str(0x00100010, Vr.PN, "Müller^Hans")
                .str(0x00100020, Vr.LO, " PID-1 ")
                .str(0x00100021, Vr.LO, "HOSP")
                .str(0x0020000D, Vr.UI, "1.2.3")
                .str(0x0020000E, Vr.UI, "1.2.3.4")
                .add(new DicomBuilder.Elem(0x7FE00010, Vr.OW, new byte[1 << 20]))
                .build();
    }

    private static final KeyAttributes EXPECTED = new KeyAttributes("1.2.840.10008.1.2.1",
            "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5.6", "1.2.3", "1.2.3.4", "PID-1", "HOSP", "Müller^Hans",
            "20240102", "101112", "CT", "ACC1");

    @Test
    void readsKeysFromTheStreamAndStopsBeforePixelData() throws IOException {
        byte[] f = file();
        int[] consumed = {0};
        InputStream counting = new ByteArrayInputStream(f) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                consumed[0] += Math.max(n, 0);
                return n;
            }
        };
        try (DicomStreamReader r = DicomStreamReader.open(counting)) {
            assertThat(KeyAttributes.read(r)).isEqualTo(EXPECTED);
        }
        assertThat(consumed[0]).isLessThan(f.length / 2);
    }

    @Test
    void sameFromTheModel() throws IOException {
        assertThat(KeyAttributes.of(Parse.model(file()))).isEqualTo(EXPECTED);
    }

    @Test
    void absentKeysAreNull() throws IOException {
        byte[] f = new DicomBuilder(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN).str(0x00080060, Vr.CS, "MR").build();
        try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(f))) {
            KeyAttributes k = KeyAttributes.read(r);
            assertThat(k.modality()).isEqualTo("MR");
            assertThat(k.studyInstanceUid()).isNull();
            assertThat(k.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2");
        }
        assertThat(Arrays.asList(1)).isNotEmpty();
    }
}
