package dev.hansa.aggregation.random;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/philox_reference.py} (the numpy-only reference of the shared streams), or another script of
 * {@code bin/}, with Debian's python3; a test that calls it is skipped, and says why, where that interpreter (or, for
 * the Philox reference, numpy) is missing.
 */
public final class PythonReference {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("bin/philox_reference.py");

    private PythonReference() {
    }

    /** The script's output lines for {@code args}. */
    public static List<String> run(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), "skipped: no " + PYTHON + " to run the Python reference");
        assumeTrue(exec(List.of(PYTHON.toString(), "-c", "import numpy")) != null,
                "skipped: " + PYTHON + " has no numpy for the Python reference");
        return script(SCRIPT, args);
    }

    /** The output lines of another Python script of {@code bin/} that needs only the standard library. */
    public static List<String> runStandardLibrary(String script, String... args)
            throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), "skipped: no " + PYTHON + " to run " + script);
        return script(Path.of("bin", script), args);
    }

    private static List<String> script(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        command.addAll(List.of(args));
        List<String> lines = exec(command);
        if (lines == null) {
            throw new IllegalStateException("the Python reference failed: " + command);
        }
        return lines;
    }

    private static List<String> exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            return null;
        }
        return out.lines().toList();
    }
}
