package dev.custodian.dicom.corpus;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.json.DicomJsonWriter;
import dev.custodian.dicom.json.JsonWriterOptions;
import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.model.DicomFile;
import dev.custodian.dicom.testutil.External;
import dev.custodian.dicom.testutil.JsonComparator;
import dev.custodian.dicom.testutil.MiniJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Our DICOM JSON against DCMTK's dcm2json for every file of pydicom's test corpus.
 * Needs dcm2json and dcmodify (Debian dcmtk) on PATH and the corpus of Debian
 * python3-pydicom; fails when they are missing unless -Dcustodian.dicom.corpus=optional.
 * Writes a report to target/dcm2json-report.md (the source of README's lists).
 */
class Dcm2JsonCorpusTest {

    /**
     * Files dcm2json accepts but we refuse on purpose, with the reason we give.
     * Each is listed in dicom/README.md; the test fails if one starts parsing
     * (update the list) or fails for another reason.
     */
    static final Map<String, String> EXPECTED_REFUSALS = Map.ofEntries(
            Map.entry("ExplVR_BigEndNoMeta.dcm", "not a DICOM Part 10 file"),
            Map.entry("ExplVR_LitEndNoMeta.dcm", "not a DICOM Part 10 file"),
            Map.entry("rtstruct.dcm", "not a DICOM Part 10 file"),
            Map.entry("dicomdirtests/DICOMDIR-nooffset", "runs past the end of its enclosing sequence"),
            Map.entry("meta_missing_tsyntax.dcm", "no Transfer Syntax UID"),
            Map.entry("nested_priv_SQ.dcm", "odd value length"));

    private static final List<String> REPORT = new ArrayList<>();
    private static final Map<String, Integer> ALLOWED_TOTALS = new TreeMap<>();
    private static int compared;
    private static int matched;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void requireTools() {
        External.requireCorpusAndDcmtk();
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFile() throws IOException {
        Path root = External.corpus();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(50);
        return files.stream().map(f -> DynamicTest.dynamicTest(root.relativize(f).toString(),
                () -> check(root.relativize(f).toString(), f)));
    }

    private void check(String name, Path file) throws Exception {
        String ours;
        String ourRefusal = null;
        try {
            DicomFile df = DatasetReader.read(file, Long.MAX_VALUE);
            ours = DicomJsonWriter.toJson(df.dataset(), JsonWriterOptions.INLINE_ALL);
        } catch (DicomParseException e) {
            ours = null;
            ourRefusal = e.getMessage();
        }
        External.Result dcmtk = External.run("dcm2json", "-fc", file.toString());
        boolean stripped = false;
        if (dcmtk.exit() != 0 && dcmtk.stderr().contains("compressed pixel data")) {
            // dcm2json cannot write encapsulated pixel data; compare the rest of the file.
            Path copy = tmp.resolve(name.replace('/', '_'));
            Files.copy(file, copy);
            External.Result mod = External.run("dcmodify", "-q", "-nb", "-ea", "(7fe0,0010)", copy.toString());
            assertThat(mod.exit()).as("dcmodify " + mod.stderr()).isZero();
            dcmtk = External.run("dcm2json", "-fc", copy.toString());
            stripped = true;
        }
        boolean dcmtkOk = dcmtk.exit() == 0;
        String expectedRefusal = EXPECTED_REFUSALS.get(name);
        if (ours != null) {
            MiniJson.parse(ours); // must be valid JSON whatever dcmtk says
        }
        if (!dcmtkOk) {
            String why = firstLine(dcmtk.stderr());
            REPORT.add("| " + name + " | dcm2json refuses: " + why + " | "
                    + (ours == null ? "we refuse: " + ourRefusal : "we parse it") + " |");
            return;
        }
        if (ours == null) {
            REPORT.add("| " + name + " | dcm2json accepts | we refuse: " + ourRefusal + " |");
            if (expectedRefusal == null || !ourRefusal.contains(expectedRefusal)) {
                fail("we refuse " + name + " which dcm2json accepts: " + ourRefusal);
            }
            return;
        }
        if (expectedRefusal != null) {
            fail(name + " is listed as refused (" + expectedRefusal + ") but now parses; update the list");
        }
        JsonComparator cmp = new JsonComparator(stripped);
        cmp.compareDatasets(MiniJson.parse(dcmtk.stdout()), MiniJson.parse(ours));
        synchronized (REPORT) {
            compared++;
            if (cmp.differences.isEmpty()) {
                matched++;
            }
            cmp.allowed.forEach((k, v) -> ALLOWED_TOTALS.merge(k, v, Integer::sum));
        }
        assertThat(cmp.differences).as(name).isEmpty();
    }

    private static String firstLine(String s) {
        for (String line : s.split("\n")) {
            if (line.startsWith("E:") || line.startsWith("F:")) {
                return line.replace(tmp.toString() + "/", "").replace("|", "/").trim();
            }
        }
        return s.isBlank() ? "(no message)" : s.split("\n")[0];
    }

    @AfterAll
    static void writeReport() throws IOException {
        if (External.corpusMissing()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("compared with dcm2json: ").append(compared).append(", matched: ").append(matched).append("\n\n");
        sb.append("documented differences seen (kind: occurrences):\n\n");
        ALLOWED_TOTALS.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n| file | dcm2json | ours |\n|---|---|---|\n");
        REPORT.stream().sorted().forEach(l -> sb.append(l).append('\n'));
        Path out = Path.of("target", "dcm2json-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    }
}
