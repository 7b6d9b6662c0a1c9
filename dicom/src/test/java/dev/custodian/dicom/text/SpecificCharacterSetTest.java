package dev.custodian.dicom.text;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.Parse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecificCharacterSetTest {

    private static String patientName(String charset, Charset encoding, String name) throws IOException {
        DicomBuilder b = new DicomBuilder(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        if (charset != null) {
            b.str(0x00080005, Vr.CS, charset);
        }
        b.add(DicomBuilder.text(0x00100010, Vr.PN, name, encoding));
        b.add(DicomBuilder.text(0x00081030, Vr.LO, name, encoding));
        return Parse.model(b.build()).dataset().string(0x00081030);
    }

    @Test
    void latin1() throws IOException {
        assertThat(patientName("ISO_IR 100", StandardCharsets.ISO_8859_1, "Müller^Zoë")).isEqualTo("Müller^Zoë");
    }

    @Test
    void utf8() throws IOException {
        assertThat(patientName("ISO_IR 192", StandardCharsets.UTF_8, "Ŝƒ^山田")).isEqualTo("Ŝƒ^山田");
    }

    @Test
    void defaultRepertoire() throws IOException {
        assertThat(patientName(null, StandardCharsets.US_ASCII, "Doe^John")).isEqualTo("Doe^John");
        assertThat(patientName("", StandardCharsets.US_ASCII, "Doe^John")).isEqualTo("Doe^John");
    }

    @Test
    void otherSingleByteSets() throws IOException {
        assertThat(patientName("ISO_IR 144", Charset.forName("ISO-8859-5"), "Иванов")).isEqualTo("Иванов");
        assertThat(patientName("ISO_IR 126", Charset.forName("ISO-8859-7"), "Αθήνα")).isEqualTo("Αθήνα");
        assertThat(patientName("ISO 2022 IR 100", StandardCharsets.ISO_8859_1, "Jöns")).isEqualTo("Jöns");
    }

    @Test
    void gb18030SplitsAfterDecoding() throws IOException {
        // 0x5C can be the second byte of a GB18030 character; splitting bytes on '\' would break it
        String value = "乗\\表";
        DicomBuilder b = new DicomBuilder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .str(0x00080005, Vr.CS, "GB18030")
                .add(DicomBuilder.text(0x00081030, Vr.LO, value, Charset.forName("GB18030")));
        assertThat(Parse.model(b.build()).dataset().strings(0x00081030)).containsExactly("乗", "表");
    }

    @Test
    void codeExtensionsWithTwoSetsAreRefused() {
        byte[] f = new DicomBuilder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .str(0x00080005, Vr.CS, "ISO 2022 IR 13\\ISO 2022 IR 87").build();
        assertThatThrownBy(() -> Parse.model(f)).isInstanceOf(DicomParseException.class)
                .hasMessageContaining("unsupported Specific Character Set 'ISO 2022 IR 13\\ISO 2022 IR 87'");
    }

    @Test
    void unknownTermsAreRefused() {
        assertThatThrownBy(() -> SpecificCharacterSet.of(List.of("KLINGON")))
                .isInstanceOf(UnsupportedCharacterSetException.class);
    }
}
