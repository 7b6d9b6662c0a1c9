package dev.custodian.dicom.parse;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.Parse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static dev.custodian.dicom.testutil.DicomBuilder.item;
import static dev.custodian.dicom.testutil.DicomBuilder.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input ends in DicomParseException with an offset and a reason. */
class MalformedInputTest {
    private static final TransferSyntax ELE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;

    private static DicomParseException refuse(byte[] f) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Parse.model(f));
        assertThat(t).isInstanceOf(DicomParseException.class);
        return (DicomParseException) t;
    }

    private static byte[] raw(TransferSyntax ts, byte[]... pieces) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : pieces) {
            out.writeBytes(p);
        }
        return DicomBuilder.part10(ts.uid(), out.toByteArray());
    }

    private static byte[] le(int... shortsThenNothing) {
        ByteBuffer bb = ByteBuffer.allocate(shortsThenNothing.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : shortsThenNothing) {
            bb.putShort((short) s);
        }
        return bb.array();
    }

    @Test
    void missingDicmPrefix() {
        byte[] f = new DicomBuilder(ELE).str(0x00100020, Vr.LO, "X").build();
        f[129] = 'X';
        DicomParseException e = refuse(f);
        assertThat(e.offset()).isEqualTo(128);
        assertThat(e.reason()).contains("not a DICOM Part 10 file");
    }

    @Test
    void tooShortForAPreamble() {
        assertThat(refuse(new byte[40]).reason()).contains("preamble");
        assertThat(refuse(new byte[0]).reason()).contains("preamble");
    }

    @Test
    void garbage() {
        byte[] g = new byte[4096];
        new Random(1).nextBytes(g);
        assertThat(refuse(g).reason()).contains("DICM");
        System.arraycopy("DICM".getBytes(), 0, g, 128, 4);
        refuse(g);
    }

    @Test
    void unknownOrMissingTransferSyntax() {
        assertThat(refuse(DicomBuilder.part10("1.2.3.4", new byte[0])).reason())
                .contains("unsupported transfer syntax UID '1.2.3.4'");
        byte[] f = DicomBuilder.part10("1.2.840.10008.1.2", new byte[0]);
        // rename (0002,0010) to (0002,0011)
        for (int i = 132; i < f.length - 4; i++) {
            if (f[i] == 2 && f[i + 1] == 0 && f[i + 2] == 0x10 && f[i + 3] == 0) {
                f[i + 2] = 0x11;
                break;
            }
        }
        assertThat(refuse(f).reason()).contains("no Transfer Syntax UID");
    }

    @Test
    void truncatedAnywhere() {
        byte[] f = new DicomBuilder(ELE).str(0x00100020, Vr.LO, "ABCDEFGH")
                .add(seq(0x00081115, true, item(true, DicomBuilder.us(0x00280010, 1)))).build();
        for (int cut = 1; cut < f.length; cut++) {
            byte[] t = Arrays.copyOf(f, cut);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Parse.model(t));
            if (thrown != null) {
                assertThat(thrown).as("cut at " + cut).isInstanceOf(DicomParseException.class);
            }
        }
        assertThat(refuse(Arrays.copyOf(f, f.length - 1)).reason()).contains("end of data");
    }

    @Test
    void lengthPastTheEnd() {
        byte[] f = raw(ELE, le(0x0010, 0x0020), "LO".getBytes(), le(200), "AB".getBytes());
        DicomParseException e = refuse(f);
        assertThat(e.reason()).contains("runs past the end of the input");
        // the same as a stream of unknown length: fails when the data runs out
        assertThatThrownBy(() -> DatasetReader.read(new ByteArrayInputStream(f), 0))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("end of data");
    }

    @Test
    void absurdLength() {
        byte[] f = raw(ELE, le(0x0010, 0x0020), "OB".getBytes(), le(0, 0xFFF0, 0xFFFF));
        assertThat(refuse(f).reason()).contains("absurd length 0xFFFFFFF0");
    }

    @Test
    void oddLength() {
        byte[] f = raw(ELE, le(0x0010, 0x0020), "LO".getBytes(), le(3), "ABC".getBytes());
        assertThat(refuse(f).reason()).contains("odd value length 3");
    }

    @Test
    void oddLengthsCanBeAllowed() throws IOException {
        byte[] f = raw(ELE, le(0x0010, 0x0020), "LO".getBytes(), le(3), "ABC".getBytes());
        assertThat(Parse.events(f, ReaderOptions.DEFAULTS.withAllowOddLengths(true)))
                .containsExactly("ELEMENT 00100020 LO 3");
    }

    @Test
    void undefinedLengthOnANonSequence() {
        byte[] f = raw(ELE, le(0x0010, 0x0020), "UT".getBytes(), le(0, 0xFFFF, 0xFFFF));
        assertThat(refuse(f).reason()).contains("undefined length is only allowed");
    }

    @Test
    void invalidVr() {
        byte[] f = raw(ELE, le(0x0010, 0x0020), new byte[] {'l', 'o'}, le(0));
        assertThat(refuse(f).reason()).contains("invalid VR bytes 0x6C 0x6F");
    }

    @Test
    void itemTagOutsideASequence() {
        byte[] f = raw(ELE, le(0xFFFE, 0xE000, 0, 0));
        assertThat(refuse(f).reason()).contains("unexpected (FFFE,E000) in the data set");
    }

    @Test
    void elementInsteadOfItemInASequence() {
        byte[] f = raw(ELE, le(0x0008, 0x1115), "SQ".getBytes(), le(0, 0xFFFF, 0xFFFF, 0x0010, 0x0010, 0, 0));
        assertThat(refuse(f).reason()).contains("expected an item (FFFE,E000) in sequence (0008,1115)");
    }

    @Test
    void itemLongerThanItsSequence() {
        byte[] f = raw(ELE, le(0x0008, 0x1115), "SQ".getBytes(), le(0, 8, 0), le(0xFFFE, 0xE000, 100, 0));
        assertThat(refuse(f).reason()).contains("runs past the end of its enclosing sequence");
    }

    @Test
    void endlessNestingIsCapped() {
        DicomBuilder.Node n = DicomBuilder.str2(0x00100020);
        for (int i = 0; i < 70; i++) {
            n = seq(0x00081115, true, item(true, n));
        }
        byte[] f = new DicomBuilder(ELE).add(n).build();
        assertThat(refuse(f).reason()).contains("nested deeper than 64");
        byte[] ok = Arrays.copyOf(f, f.length);
        assertThat(catchDepth(ok, 80)).isNull();
    }

    private static Throwable catchDepth(byte[] f, int depth) {
        return org.assertj.core.api.Assertions.catchThrowable(() ->
                Parse.events(f, ReaderOptions.DEFAULTS.withMaxDepth(depth)));
    }

    @Test
    void deflateBombIsCapped() {
        byte[] zeros = new byte[64 << 20]; // 64 MiB of an OB value compresses to ~64 KiB
        byte[] ds = new DicomBuilder(ELE).add(new DicomBuilder.Elem(0x00091010, Vr.OB, zeros)).dataset();
        byte[] f = DicomBuilder.part10(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid(), DicomBuilder.deflate(ds));
        assertThat(f.length).isLessThan(200_000);
        ReaderOptions capped = ReaderOptions.DEFAULTS.withMaxInflatedLength(1 << 20);
        assertThatThrownBy(() -> Parse.events(f, capped)).isInstanceOf(DicomParseException.class)
                .hasMessageContaining("inflated data set exceeds the limit");
    }

    @Test
    void corruptOrTruncatedDeflate() {
        byte[] ds = new DicomBuilder(ELE).str(0x00100020, Vr.LO, "ABCDEFGHIJKLMNOP").dataset();
        byte[] f = DicomBuilder.part10(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid(), DicomBuilder.deflate(ds));
        assertThat(refuse(Arrays.copyOf(f, f.length - 3)).reason()).containsAnyOf("truncated", "end of data");
        byte[] bad = f.clone();
        bad[bad.length - 8] ^= (byte) 0xFF;
        bad[bad.length - 9] ^= (byte) 0xFF;
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Parse.model(bad));
        if (t != null) {
            assertThat(t).isInstanceOf(DicomParseException.class);
        }
    }

    @Test
    void duplicateElementInTheModel() {
        byte[] f = new DicomBuilder(ELE).str(0x00100020, Vr.LO, "A").str(0x00100020, Vr.LO, "B").build();
        assertThat(refuse(f).reason()).contains("duplicate element (0010,0020)");
    }
}
