package dev.custodian.dicom.testutil;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The external things some tests compare against: DCMTK's command line tools and
 * pydicom's test file corpus. Missing tools fail the test with instructions, unless
 * -Dcustodian.dicom.corpus=optional is set (then the tests are skipped).
 */
public final class External {
    public static final String CORPUS_PROPERTY = "custodian.dicom.corpus";
    private static final Path DEFAULT_CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private External() {
    }

    public record Result(int exit, String stdout, String stderr) {
    }

    public static Path corpus() {
        String dir = System.getProperty("custodian.dicom.corpusDir");
        return dir != null ? Path.of(dir) : DEFAULT_CORPUS;
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    public static boolean corpusMissing() {
        return !Files.isDirectory(corpus()) || !onPath("dcm2json") || !onPath("dcmodify");
    }

    /** Fails (or skips, if optional) unless dcmtk and the pydicom corpus are installed. */
    public static void requireCorpusAndDcmtk() {
        List<String> missing = new ArrayList<>();
        if (!Files.isDirectory(corpus())) {
            missing.add("pydicom test corpus at " + corpus() + " (apt-get install python3-pydicom)");
        }
        for (String tool : List.of("dcm2json", "dcmodify", "dcmconv", "dump2dcm")) {
            if (!onPath(tool)) {
                missing.add(tool + " on PATH (apt-get install dcmtk)");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String msg = "missing " + String.join(", ", missing);
        if ("optional".equals(System.getProperty(CORPUS_PROPERTY))) {
            Assumptions.abort(msg + "; skipped because -D" + CORPUS_PROPERTY + "=optional");
        }
        fail(msg + ". Install them, or run with -D" + CORPUS_PROPERTY + "=optional to skip these tests.");
    }

    /** Runs a command with a 60 s timeout, capturing both streams. */
    public static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timeout running " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            in.transferTo(bo);
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
