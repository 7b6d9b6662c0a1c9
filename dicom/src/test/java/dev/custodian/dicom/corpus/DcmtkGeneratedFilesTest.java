package dev.custodian.dicom.corpus;

import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.model.DicomFile;
import dev.custodian.dicom.model.KeyAttributes;
import dev.custodian.dicom.testutil.External;
import dev.custodian.dicom.testutil.JsonComparator;
import dev.custodian.dicom.testutil.MiniJson;
import dev.custodian.dicom.testutil.Parse;
import dev.custodian.dicom.json.DicomJsonWriter;
import dev.custodian.dicom.json.JsonWriterOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files made by DCMTK at test time: corpus files re-encoded by dcmconv into every
 * native transfer syntax (our JSON must not depend on the encoding and must match
 * dcm2json), and a data set written by dump2dcm from a text dump.
 */
class DcmtkGeneratedFilesTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void requireTools() {
        External.requireCorpusAndDcmtk();
    }

    private static final Map<String, String> SYNTAXES = new LinkedHashMap<>();

    static {
        SYNTAXES.put("+ti", TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid());
        SYNTAXES.put("+te", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
        SYNTAXES.put("+tb", TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.uid());
        SYNTAXES.put("+td", TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "test-SR.dcm", "liver_1frame.dcm",
            "waveform_ecg.dcm"})
    void reencodedFilesGiveTheSameJsonAsDcm2json(String name) throws IOException {
        Path src = External.corpus().resolve(name);
        String first = null;
        for (Map.Entry<String, String> ts : SYNTAXES.entrySet()) {
            Path out = tmp.resolve(name + ts.getKey());
            External.Result conv = External.run("dcmconv", ts.getKey(), src.toString(), out.toString());
            assertThat(conv.exit()).as(conv.stderr()).isZero();
            DicomFile df = Parse.model(Files.readAllBytes(out));
            assertThat(df.meta().transferSyntaxUid()).isEqualTo(ts.getValue());
            String ours = DicomJsonWriter.toJson(df.dataset(), JsonWriterOptions.INLINE_ALL);
            External.Result dcmtk = External.run("dcm2json", "-fc", out.toString());
            assertThat(dcmtk.exit()).as(dcmtk.stderr()).isZero();
            JsonComparator cmp = new JsonComparator(false);
            cmp.compareDatasets(MiniJson.parse(dcmtk.stdout()), MiniJson.parse(ours));
            assertThat(cmp.differences).as(name + " " + ts.getKey()).isEmpty();
            // Explicit VR encodings must give identical JSON (implicit VR loses private VRs).
            if (ts.getKey().equals("+te")) {
                first = ours;
            } else if (first != null) {
                assertThat(ours.equals(first)).as(name + " " + ts.getKey() + " differs from +te").isTrue();
            }
        }
    }

    @Test
    void dump2dcmFileWithLatin1SequencesAndNumbers() throws IOException {
        String dump = String.join("\n",
                "(0002,0010) UI =LittleEndianExplicit",
                "(0008,0005) CS [ISO_IR 100]",
                "(0008,0016) UI =CTImageStorage",
                "(0008,0018) UI [1.2.3.4.5]",
                "(0008,0060) CS [CT]",
                "(0008,1115) SQ (Sequence with undefined length)",
                "  (fffe,e000) na (Item with undefined length)",
                "    (0008,1150) UI =CTImageStorage",
                "    (0020,000e) UI [1.2.3.4]",
                "  (fffe,e00d) na (ItemDelimitationItem)",
                "(fffe,e0dd) na (SequenceDelimitationItem)",
                "(0010,0010) PN [Müller^Jürgen=Mu^Ju]",
                "(0010,0020) LO [PID\\X]",
                "(0010,0021) LO [Issuer]",
                "(0018,0050) DS [+1.25\\.5 ]",
                "(0020,000d) UI [1.2.3]",
                "(0020,0013) IS [0012]",
                "(0028,0010) US 2",
                "(0028,0011) US 2",
                "(0028,0100) US 16",
                "(7fe0,0010) OW 0001\\0002\\0003\\0004",
                "");
        Path txt = tmp.resolve("in.dump");
        Files.write(txt, dump.getBytes(StandardCharsets.ISO_8859_1));
        Path dcm = tmp.resolve("out.dcm");
        External.Result r = External.run("dump2dcm", "+te", txt.toString(), dcm.toString());
        assertThat(r.exit()).as(r.stderr()).isZero();
        DicomFile df = Parse.model(Files.readAllBytes(dcm));
        String ours = DicomJsonWriter.toJson(df.dataset(), JsonWriterOptions.INLINE_ALL);
        assertThat(ours).contains("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Müller^Jürgen\","
                + "\"Ideographic\":\"Mu^Ju\"}]}");
        External.Result dcmtk = External.run("dcm2json", "-fc", dcm.toString());
        JsonComparator cmp = new JsonComparator(false);
        cmp.compareDatasets(MiniJson.parse(dcmtk.stdout()), MiniJson.parse(ours));
        assertThat(cmp.differences).isEmpty();
        KeyAttributes k = KeyAttributes.of(df);
        assertThat(k.patientName()).isEqualTo("Müller^Jürgen=Mu^Ju");
        assertThat(k.patientId()).isEqualTo("PID");
        assertThat(k.issuerOfPatientId()).isEqualTo("Issuer");
    }
}
