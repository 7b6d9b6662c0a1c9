package dev.custodian.dicom.parse;

import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.Parse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.stream.Stream;

import static dev.custodian.dicom.testutil.DicomBuilder.at;
import static dev.custodian.dicom.testutil.DicomBuilder.fd;
import static dev.custodian.dicom.testutil.DicomBuilder.item;
import static dev.custodian.dicom.testutil.DicomBuilder.seq;
import static dev.custodian.dicom.testutil.DicomBuilder.us;
import static org.assertj.core.api.Assertions.assertThat;

/** The same data set encoded in each native transfer syntax reads to the same JSON. */
class TransferSyntaxTest {

    static Stream<TransferSyntax> syntaxes() {
        return Stream.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
    }

    static byte[] sample(TransferSyntax ts) {
        return new DicomBuilder(ts)
                .str(0x00080016, Vr.UI, "1.2.840.10008.5.1.4.1.1.2")
                .str(0x00080060, Vr.CS, "CT")
                .add(seq(0x00081115, false, item(false,
                        DicomBuilder.text(0x0020000E, Vr.UI, "1.2.3", java.nio.charset.StandardCharsets.US_ASCII))))
                .str(0x00100010, Vr.PN, "Doe^Jane")
                .str(0x00181050, Vr.DS, "0.5\\1.25")
                .add(at(0x00209165, 0x00200032))
                .add(us(0x00280010, 512))
                .add(fd(0x00189305, 1.5))
                .add(new DicomBuilder.Elem(0x7FE00010, Vr.OW, new byte[] {1, 2, 3, 4}))
                .build();
    }

    static final String EXPECTED = "{\"00080016\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.10008.5.1.4.1.1.2\"]},"
            + "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
            + "\"00081115\":{\"vr\":\"SQ\",\"Value\":[{\"0020000E\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}}]},"
            + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Doe^Jane\"}]},"
            + "\"00181050\":{\"vr\":\"DS\",\"Value\":[0.5,1.25]},"
            + "\"00189305\":{\"vr\":\"FD\",\"Value\":[1.5]},"
            + "\"00209165\":{\"vr\":\"AT\",\"Value\":[\"00200032\"]},"
            + "\"00280010\":{\"vr\":\"US\",\"Value\":[512]},"
            + "\"7FE00010\":{\"vr\":\"OW\",\"InlineBinary\":\"AQIDBA==\"}}";

    @ParameterizedTest
    @MethodSource("syntaxes")
    void sameJsonInEverySyntax(TransferSyntax ts) throws IOException {
        assertThat(Parse.json(sample(ts))).isEqualTo(EXPECTED);
    }

    @ParameterizedTest
    @MethodSource("syntaxes")
    void reportsTransferSyntax(TransferSyntax ts) throws IOException {
        assertThat(Parse.model(sample(ts)).meta().transferSyntax()).isEqualTo(ts);
    }

    @Test
    void bigEndianWordsAreSwappedToLittleEndian() throws IOException {
        byte[] f = new DicomBuilder(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)
                .add(new DicomBuilder.Elem(0x7FE00010, Vr.OW, new byte[] {1, 2, 3, 4})).build();
        // on the wire: 02 01 04 03
        assertThat(new String(f, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("\u0002\u0001\u0004\u0003");
        assertThat(Parse.model(f).dataset().get(0x7FE00010).bytes()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void encapsulatedSyntaxesAreExplicitLittleEndian() {
        TransferSyntax jpeg = TransferSyntax.forUid("1.2.840.10008.1.2.4.50");
        assertThat(jpeg.explicitVr()).isTrue();
        assertThat(jpeg.bigEndian()).isFalse();
        assertThat(jpeg.encapsulated()).isTrue();
        assertThat(TransferSyntax.forUid("1.2.840.10008.1.2.5\0").encapsulated()).isTrue();
        assertThat(TransferSyntax.forUid("1.2.840.10008.1.2.1 ")).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(TransferSyntax.forUid("1.2.3")).isNull();
        assertThat(TransferSyntax.forUid("1.2.840.10008.1.2.4.x")).isNull();
    }
}
