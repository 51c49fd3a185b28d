package dev.hansa.client.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress bar on a terminal; plain lines when the output is a file or pipe. */
public final class Progress {

    private final PrintStream out;
    private final int total;
    private final boolean terminal;
    private final long start = System.nanoTime();

    public Progress(PrintStream out, int total) {
        this.out = out;
        this.total = total;
        this.terminal = System.console() != null;
    }

    public void update(int done, String status) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        int width = 24, filled = total == 0 ? width : (int) ((long) width * done / total);
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
        String line = String.format(Locale.ROOT, "%s %d/%d %s | %.0fs elapsed, ETA %.0fs", bar, done, total, status, elapsed, eta);
        if (terminal) {
            out.print("\r" + line + (done == total ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }
}
