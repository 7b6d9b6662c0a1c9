package dev.custodian.dicom.parse;

import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.Parse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.custodian.dicom.testutil.DicomBuilder.item;
import static dev.custodian.dicom.testutil.DicomBuilder.seq;
import static dev.custodian.dicom.testutil.DicomBuilder.text;
import static org.assertj.core.api.Assertions.assertThat;

class SequenceTest {

    enum Lengths { DEFINED, UNDEFINED, MIXED }

    private static byte[] nested(TransferSyntax ts, Lengths l) {
        boolean outer = l != Lengths.DEFINED;
        boolean inner = l == Lengths.UNDEFINED;
        return new DicomBuilder(ts)
                .add(seq(0x00081115, outer,
                        item(inner,
                                text(0x00081150, Vr.UI, "1.2", StandardCharsets.US_ASCII),
                                seq(0x00081199, inner,
                                        item(outer, text(0x00081155, Vr.UI, "1.2.3", StandardCharsets.US_ASCII)),
                                        item(inner))),
                        item(outer)))
                .add(seq(0x00082112, inner))
                .str(0x00100020, Vr.LO, "PID")
                .build();
    }

    @ParameterizedTest
    @EnumSource(Lengths.class)
    void nestedSequencesGiveTheSameEventsWhateverTheLengths(Lengths l) throws IOException {
        for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
            List<String> events = Parse.events(nested(ts, l), ReaderOptions.DEFAULTS).stream()
                    .map(e -> e.startsWith("SEQUENCE_START") ? e.replaceAll(" SQ \\d+$", " SQ defined") : e)
                    .toList();
            assertThat(events).containsExactly(
                    "SEQUENCE_START 00081115 SQ " + (l == Lengths.DEFINED ? "defined" : -1),
                    "ITEM_START", "ELEMENT 00081150 UI 4",
                    "SEQUENCE_START 00081199 SQ " + (l == Lengths.UNDEFINED ? -1 : "defined"),
                    "ITEM_START", "ELEMENT 00081155 UI 6", "ITEM_END",
                    "ITEM_START", "ITEM_END",
                    "SEQUENCE_END", "ITEM_END",
                    "ITEM_START", "ITEM_END",
                    "SEQUENCE_END",
                    "SEQUENCE_START 00082112 SQ " + (l == Lengths.UNDEFINED ? -1 : "defined"),
                    "SEQUENCE_END",
                    "ELEMENT 00100020 LO 4");
        }
    }

    @Test
    void sequenceJsonHasItemsAndEmptyItemsAndNoValueForEmptySequence() throws IOException {
        String json = Parse.json(nested(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, Lengths.MIXED));
        assertThat(json).isEqualTo("{\"00081115\":{\"vr\":\"SQ\",\"Value\":[{"
                + "\"00081150\":{\"vr\":\"UI\",\"Value\":[\"1.2\"]},"
                + "\"00081199\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"1.2.3\"]}},{}]}},"
                + "{}]},"
                + "\"00082112\":{\"vr\":\"SQ\"},"
                + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"PID\"]}}");
    }

    @Test
    void unWithUndefinedLengthIsAnImplicitVrSequence() throws IOException {
        // CP-246: explicit VR file, UN of undefined length, contents implicit VR LE
        byte[] f = new DicomBuilder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .add(new DicomBuilder.Seq(0x00091010, true, List.of(item(true,
                        text(0x00100020, Vr.LO, "X1", StandardCharsets.US_ASCII))), Vr.UN))
                .build();
        assertThat(Parse.json(f)).isEqualTo(
                "{\"00091010\":{\"vr\":\"SQ\",\"Value\":[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"X1\"]}}]}}");
    }

    @Test
    void implicitVrPrivateElementOfUndefinedLengthIsASequence() throws IOException {
        byte[] f = new DicomBuilder(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)
                .str(0x00090010, Vr.LO, "ACME")
                .add(seq(0x00091001, true, item(true, text(0x00091002, Vr.UN, "ab", StandardCharsets.US_ASCII))))
                .build();
        assertThat(Parse.json(f)).isEqualTo("{\"00090010\":{\"vr\":\"LO\",\"Value\":[\"ACME\"]},"
                + "\"00091001\":{\"vr\":\"SQ\",\"Value\":[{\"00091002\":{\"vr\":\"UN\",\"InlineBinary\":\"YWI=\"}}]}}");
    }

    @Test
    void itemCharacterSetOverridesTheDataSets() throws IOException {
        byte[] f = new DicomBuilder(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .str(0x00080005, Vr.CS, "ISO_IR 100")
                .add(seq(0x00081115, true, item(true,
                        text(0x00080005, Vr.CS, "ISO_IR 192", StandardCharsets.US_ASCII),
                        text(0x00100010, Vr.PN, "Ærø", StandardCharsets.UTF_8))))
                .add(text(0x00100010, Vr.PN, "Ærø", StandardCharsets.ISO_8859_1))
                .build();
        assertThat(Parse.json(f)).contains("{\"Alphabetic\":\"Ærø\"}]}}]}")
                .endsWith("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Ærø\"}]}}");
    }
}
