package dev.custodian.dicom.json;

import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.model.DicomFile;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.MiniJson;
import dev.custodian.dicom.testutil.Parse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DicomJsonWriterTest {
    private static final TransferSyntax ELE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;

    private static String json(DicomBuilder b) throws IOException {
        return Parse.json(b.build());
    }

    private static DicomBuilder.Elem bin(int tag, Vr vr, ByteBuffer bb) {
        return new DicomBuilder.Elem(tag, vr, bb.array());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void personNameGroups() throws IOException {
        String j = json(new DicomBuilder(ELE).add(DicomBuilder.text(0x00100010, Vr.PN,
                "Yamada^Tarou=山田^太郎=やまだ^たろう\\Doe^John\\\\==Phon", java.nio.charset.StandardCharsets.UTF_8))
                .add(DicomBuilder.text(0x00080005, Vr.CS, "ISO_IR 192", java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(j).contains("\"00100010\":{\"vr\":\"PN\",\"Value\":["
                + "{\"Alphabetic\":\"Yamada^Tarou\",\"Ideographic\":\"山田^太郎\",\"Phonetic\":\"やまだ^たろう\"},"
                + "{\"Alphabetic\":\"Doe^John\"},null,{\"Phonetic\":\"Phon\"}]}");
    }

    @Test
    void emptyPersonNameHasNoValue() throws IOException {
        assertThat(json(new DicomBuilder(ELE).str(0x00100010, Vr.PN, "^^^^")))
                .isEqualTo("{\"00100010\":{\"vr\":\"PN\"}}");
    }

    @Test
    void integerAndDecimalStringsAreNumbers() throws IOException {
        String j = json(new DicomBuilder(ELE)
                .str(0x00181050, Vr.DS, " 1.50\\+2\\.5\\-3.\\1e3\\007\\\\abc")
                .str(0x00200013, Vr.IS, "+12 "));
        assertThat(j).isEqualTo("{\"00181050\":{\"vr\":\"DS\",\"Value\":[1.50,2,0.5,-3,1e3,7,null,\"abc\"]},"
                + "\"00200013\":{\"vr\":\"IS\",\"Value\":[12]}}");
        MiniJson.parse(j);
    }

    @Test
    void binaryNumbers() throws IOException {
        String j = json(new DicomBuilder(ELE)
                .add(bin(0x00181310, Vr.US, le(4).putShort((short) 65535).putShort((short) 1)))
                .add(bin(0x00280106, Vr.SS, le(2).putShort((short) -5)))
                .add(bin(0x00081161, Vr.UL, le(4).putInt(-1)))
                .add(bin(0x00186024, Vr.SL, le(4).putInt(-7)))
                .add(bin(0x00189219, Vr.FL, le(12).putFloat(0.1f).putFloat(Float.NaN).putFloat(3f)))
                .add(bin(0x00189305, Vr.FD, le(16).putDouble(1e300).putDouble(Double.NEGATIVE_INFINITY)))
                .add(bin(0x0072007E, Vr.SV, le(8).putLong(Long.MIN_VALUE)))
                .add(bin(0x0072007F, Vr.UV, le(8).putLong(-1L)))
                .add(DicomBuilder.at(0x00209165, 0x7FE00010, 0x0008103E)));
        assertThat(j).contains("\"00181310\":{\"vr\":\"US\",\"Value\":[65535,1]}")
                .contains("\"00280106\":{\"vr\":\"SS\",\"Value\":[-5]}")
                .contains("\"00081161\":{\"vr\":\"UL\",\"Value\":[4294967295]}")
                .contains("\"00186024\":{\"vr\":\"SL\",\"Value\":[-7]}")
                .contains("\"00189219\":{\"vr\":\"FL\",\"Value\":[0.1,\"NaN\",3]}")
                .contains("\"00189305\":{\"vr\":\"FD\",\"Value\":[1.0E300,\"-Infinity\"]}")
                .contains("\"0072007E\":{\"vr\":\"SV\",\"Value\":[-9223372036854775808]}")
                .contains("\"0072007F\":{\"vr\":\"UV\",\"Value\":[18446744073709551615]}")
                .contains("\"00209165\":{\"vr\":\"AT\",\"Value\":[\"7FE00010\",\"0008103E\"]}");
        MiniJson.parse(j);
    }

    @Test
    void sortedKeysNoGroupLengthsNoMetaNoPadding() throws IOException {
        String j = json(new DicomBuilder(ELE)
                .add(new DicomBuilder.Elem(0x00080000, Vr.UL, new byte[4]))
                .str(0x00100020, Vr.LO, "B")
                .str(0x00090010, Vr.LO, "CREATOR")
                .str(0x00020013, Vr.SH, "META?")
                .add(new DicomBuilder.Elem(0xFFFCFFFC, Vr.OB, new byte[2]))
                .add(new DicomBuilder.Elem(0x7FE00010, Vr.OB, new byte[2]))
                .str(0x00080060, Vr.CS, "CT"));
        assertThat(j).isEqualTo("{\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
                + "\"00090010\":{\"vr\":\"LO\",\"Value\":[\"CREATOR\"]},"
                + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"B\"]},"
                + "\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\"AAA=\"}}");
    }

    @Test
    void emptyValuesAreOmittedAndPaddingRemoved() throws IOException {
        String j = json(new DicomBuilder(ELE)
                .str(0x00080050, Vr.SH, "")
                .str(0x00080060, Vr.CS, " CT ")
                .str(0x00081030, Vr.LO, "a\\\\b")
                .str(0x00204000, Vr.LT, "  lead\\kept  ")
                .add(new DicomBuilder.Elem(0x00280010, Vr.US, new byte[0]))
                .add(new DicomBuilder.Elem(0x00091001, Vr.UN, new byte[0])));
        assertThat(j).isEqualTo("{\"00080050\":{\"vr\":\"SH\"},"
                + "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"CT\"]},"
                + "\"00081030\":{\"vr\":\"LO\",\"Value\":[\"a\",null,\"b\"]},"
                + "\"00091001\":{\"vr\":\"UN\"},"
                + "\"00204000\":{\"vr\":\"LT\",\"Value\":[\"  lead\\\\kept\"]},"
                + "\"00280010\":{\"vr\":\"US\"}}");
    }

    @Test
    void stringsAreEscaped() throws IOException {
        String j = json(new DicomBuilder(ELE).str(0x00204000, Vr.LT, "q\"b\\s\r\nt\t\u0001"));
        assertThat(j).contains("\"Value\":[\"q\\\"b\\\\s\\r\\nt\\t\\u0001\"]");
        assertThat(((java.util.Map<?, ?>) ((java.util.Map<?, ?>) MiniJson.parse(j)).get("00204000")).get("Value"))
                .isEqualTo(List.of("q\"b\\s\r\nt\t\u0001"));
    }

    @Test
    void inlineBinaryUpToTheLimitThenBulkDataUri() throws IOException {
        byte[] f = new DicomBuilder(ELE)
                .add(new DicomBuilder.Elem(0x00091010, Vr.OB, new byte[] {1, 2, 3, 4}))
                .add(DicomBuilder.seq(0x00540016, false, DicomBuilder.item(false,
                        new DicomBuilder.Elem(0x00091010, Vr.OW, new byte[6]))))
                .add(new DicomBuilder.Elem(0x7FE00010, Vr.OW, new byte[4096])).build();
        DicomFile df = DatasetReader.read(new ByteArrayInputStream(f), 1024);
        String j = DicomJsonWriter.toJson(df.dataset(), JsonWriterOptions.withBulkData(4,
                loc -> "https://x/bulk/" + loc.path() + "?offset=" + loc.element().valueOffset()
                        + "&length=" + loc.element().valueLength()));
        long pxOffset = df.dataset().get(0x7FE00010).valueOffset();
        long seqOffset = df.dataset().get(0x00540016).items().get(0).get(0x00091010).valueOffset();
        assertThat(j).isEqualTo("{\"00091010\":{\"vr\":\"OB\",\"InlineBinary\":\"AQIDBA==\"},"
                + "\"00540016\":{\"vr\":\"SQ\",\"Value\":[{\"00091010\":{\"vr\":\"OW\",\"BulkDataURI\":"
                + "\"https://x/bulk/00540016/0/00091010?offset=" + seqOffset + "&length=6\"}}]},"
                + "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://x/bulk/7FE00010?offset=" + pxOffset
                + "&length=4096\"}}");
        // a maker that declines leaves in-memory values inline and omits the rest
        assertThat(DicomJsonWriter.toJson(df.dataset(), JsonWriterOptions.withBulkData(0, loc -> null)))
                .contains("\"00091010\":{\"vr\":\"OB\",\"InlineBinary\":\"AQIDBA==\"}")
                .endsWith("\"7FE00010\":{\"vr\":\"OW\"}}");
    }

    @Test
    void largeInlineBinaryIsChunkedCorrectly() throws IOException {
        byte[] v = new byte[3 * 4096 * 2 + 5];
        new java.util.Random(3).nextBytes(v);
        String j = json(new DicomBuilder(ELE).add(new DicomBuilder.Elem(0x00091010, Vr.OB, v.length % 2 == 0 ? v
                : java.util.Arrays.copyOf(v, v.length + 1))));
        String b64 = j.substring(j.indexOf("InlineBinary\":\"") + 15, j.lastIndexOf('"'));
        assertThat(java.util.Base64.getDecoder().decode(b64)).startsWith(v);
    }

    @Test
    void arrayOfDataSets() throws IOException {
        DicomFile a = Parse.model(new DicomBuilder(ELE).str(0x00100020, Vr.LO, "A").build());
        DicomFile b = Parse.model(new DicomBuilder(ELE).str(0x00100020, Vr.LO, "B").build());
        StringWriter sw = new StringWriter();
        DicomJsonWriter w = new DicomJsonWriter(sw, JsonWriterOptions.INLINE_ALL);
        w.beginArray();
        w.write(a.dataset());
        w.write(b.dataset());
        w.endArray();
        w.flush();
        assertThat(sw.toString()).isEqualTo("[{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"A\"]}},"
                + "{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"B\"]}}]");
    }
}
