package dev.custodian.dicom.fuzz;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.Tag;
import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.json.DicomJsonWriter;
import dev.custodian.dicom.json.JsonWriterOptions;
import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.model.DicomFile;
import dev.custodian.dicom.model.KeyAttributes;
import dev.custodian.dicom.parse.DicomEvent;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.parse.ReaderOptions;
import dev.custodian.dicom.testutil.DicomBuilder;
import dev.custodian.dicom.testutil.External;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static dev.custodian.dicom.testutil.DicomBuilder.item;
import static dev.custodian.dicom.testutil.DicomBuilder.seq;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutates real files (pydicom's corpus when installed, plus generated files in every
 * transfer syntax) with a fixed seed: bit flips, truncation, length-field
 * corruption, byte insertion and deletion. Every case must parse or throw
 * DicomParseException: no other exception, no OutOfMemoryError, no hang.
 */
class MutationFuzzTest {
    private static final long SEED = 0xC0FFEE;
    private static final int CASES = 20_000;
    private static final long CASE_TIMEOUT_MS = 5_000;
    private static final int[] INTERESTING = {0, 1, 2, 3, 0x7F, 0xFF, 0x100, 0x7FFF, 0xFFFF, 0x10000,
            0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFE, 0xFFFFFFFF};

    private record Seed(String name, byte[] data, List<Integer> lengthFields) {
    }

    @Test
    void everyMutationParsesOrFailsWithDicomParseException() throws Exception {
        List<Seed> seeds = seeds();
        assertThat(seeds).isNotEmpty();
        Random rnd = new Random(SEED);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        int refused = 0;
        try {
            for (int c = 0; c < CASES && failures.size() < 10; c++) {
                Seed s = seeds.get(rnd.nextInt(seeds.size()));
                String[] how = new String[1];
                byte[] mutant = mutate(s, rnd, how);
                boolean knownLength = rnd.nextBoolean();
                Future<Boolean> f = worker.submit(() -> parseFully(mutant, knownLength));
                try {
                    if (f.get(CASE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                        parsed++;
                    } else {
                        refused++;
                    }
                } catch (TimeoutException e) {
                    f.cancel(true);
                    failures.add("case " + c + " (" + s.name() + ", " + how[0] + "): timeout");
                    worker.shutdownNow();
                    worker = Executors.newSingleThreadExecutor();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add("case " + c + " (" + s.name() + ", " + how[0] + "): " + e.getCause());
                    if (failures.size() == 1) {
                        e.getCause().printStackTrace();
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.println("fuzz: " + CASES + " cases over " + seeds.size() + " files: " + parsed + " parsed, "
                + refused + " refused");
        assertThat(failures).isEmpty();
        assertThat(parsed + refused).isEqualTo(CASES);
    }

    /** True if parsed, false if refused with DicomParseException; anything else propagates. */
    private static boolean parseFully(byte[] data, boolean knownLength) throws IOException {
        try {
            ReaderOptions opts = ReaderOptions.DEFAULTS.withMaxInflatedLength(64L << 20);
            try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(data), opts,
                    knownLength ? data.length : -1)) {
                DicomFile df = DatasetReader.read(r, 256);
                KeyAttributes.of(df);
                DicomJsonWriter w = new DicomJsonWriter(Writer.nullWriter(),
                        JsonWriterOptions.withBulkData(64, loc -> loc.path()));
                w.write(df.dataset());
            }
            try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(data), opts, -1)) {
                KeyAttributes.read(r);
            }
            return true;
        } catch (DicomParseException e) {
            return false;
        }
    }

    private static byte[] mutate(Seed s, Random rnd, String[] how) {
        byte[] d = s.data().clone();
        int kind = rnd.nextInt(6);
        switch (kind) {
            case 0 -> {
                int flips = 1 + rnd.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int p = 128 + rnd.nextInt(d.length - 128);
                    d[p] ^= (byte) (1 << rnd.nextInt(8));
                }
                how[0] = flips + " bit flips";
            }
            case 1 -> {
                int cut = rnd.nextInt(d.length);
                d = Arrays.copyOf(d, cut);
                how[0] = "truncated at " + cut;
            }
            case 2, 3 -> {
                if (s.lengthFields().isEmpty()) {
                    how[0] = "unchanged";
                    break;
                }
                int at = s.lengthFields().get(rnd.nextInt(s.lengthFields().size()));
                int v = rnd.nextInt(3) == 0 ? rnd.nextInt() : INTERESTING[rnd.nextInt(INTERESTING.length)];
                int width = at >= 0 ? 4 : 2;
                int p = Math.abs(at);
                for (int i = 0; i < width && p + i < d.length; i++) {
                    d[p + i] = (byte) (v >>> (8 * i));
                }
                how[0] = "length field at " + p + " set to 0x" + Integer.toHexString(v);
            }
            case 4 -> {
                int p = 128 + rnd.nextInt(d.length - 127);
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(ins);
                byte[] out = new byte[d.length + ins.length];
                System.arraycopy(d, 0, out, 0, p);
                System.arraycopy(ins, 0, out, p, ins.length);
                System.arraycopy(d, p, out, p + ins.length, d.length - p);
                d = out;
                how[0] = ins.length + " bytes inserted at " + p;
            }
            default -> {
                int p = 128 + rnd.nextInt(d.length - 128);
                int n = Math.min(1 + rnd.nextInt(16), d.length - p);
                byte[] out = new byte[d.length - n];
                System.arraycopy(d, 0, out, 0, p);
                System.arraycopy(d, p + n, out, p, d.length - p - n);
                d = out;
                how[0] = n + " bytes deleted at " + p;
            }
        }
        return d;
    }

    private static List<Seed> seeds() throws IOException {
        List<Seed> seeds = new ArrayList<>();
        for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.forUid("1.2.840.10008.1.2.4.50"))) {
            DicomBuilder b = new DicomBuilder(ts)
                    .str(0x00080005, Vr.CS, "ISO_IR 100")
                    .str(0x00080060, Vr.CS, "CT")
                    .add(seq(0x00081115, true, item(true, DicomBuilder.str2(0x00081150),
                            seq(0x00081199, false, item(false, DicomBuilder.str2(0x00081155)), item(true)))))
                    .str(0x00100010, Vr.PN, "Müller^Hans=山田")
                    .str(0x00181050, Vr.DS, "1.5\\2")
                    .add(DicomBuilder.at(0x00209165, 0x00200032))
                    .add(DicomBuilder.us(0x00280103, 1))
                    .add(DicomBuilder.fd(0x00189305, 2.5));
            if (ts.encapsulated()) {
                b.add(new DicomBuilder.Frags(Tag.PIXEL_DATA, List.of(new byte[4], new byte[64])));
            } else {
                b.add(new DicomBuilder.Elem(Tag.PIXEL_DATA, Vr.OW, new byte[512]));
            }
            byte[] data = b.build();
            seeds.add(new Seed("generated " + ts.name(), data, lengthFields(data)));
        }
        Path corpus = External.corpus();
        if (Files.isDirectory(corpus)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(corpus)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                byte[] data = Files.readAllBytes(f);
                if (data.length > 64 * 1024 || data.length < 132) {
                    continue;
                }
                try {
                    seeds.add(new Seed(corpus.relativize(f).toString(), data, lengthFields(data)));
                } catch (DicomParseException e) {
                    // not one we accept: not a useful seed
                }
            }
        }
        System.out.println("fuzz seeds: " + seeds.size() + " files: " + seeds.stream().map(Seed::name).toList());
        return seeds;
    }

    /**
     * Offsets of the length fields of every element, item and fragment in the file
     * (positive: 32-bit field, negative: 16-bit), found by parsing the original.
     * Offsets of a deflated data set are in the inflated stream, so none are taken.
     */
    private static List<Integer> lengthFields(byte[] data) throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DicomStreamReader r = DicomStreamReader.open(new ByteArrayInputStream(data), ReaderOptions.DEFAULTS,
                data.length)) {
            boolean explicit = r.transferSyntax().explicitVr();
            for (DicomEvent e = r.next(); e != DicomEvent.END; e = r.next()) {
                if (r.offsetsAreInflated()) {
                    break;
                }
                switch (e) {
                    case ELEMENT -> {
                        boolean shortField = explicit && !r.vr().hasLongExplicitHeader();
                        out.add(shortField ? -(int) (r.valueOffset() - 2) : (int) (r.valueOffset() - 4));
                    }
                    case SEQUENCE_START, FRAGMENTS_START, ITEM_START, FRAGMENT ->
                            out.add((int) (r.valueOffset() - 4));
                    default -> {
                    }
                }
            }
        }
        return out;
    }
}
