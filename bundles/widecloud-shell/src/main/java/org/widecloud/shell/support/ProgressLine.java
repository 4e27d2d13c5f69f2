package org.widecloud.shell.support;

import java.io.PrintStream;

import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;

/**
 * A one-line progress bar, {@code [#####     ]  50% step}, rewritten in place with {@code \r}. Each rewrite pads
 * with spaces over what the previous one left, so it needs no ANSI support; lines are cut to the terminal
 * width so they never wrap (a wrapped line cannot be rewritten with {@code \r}).
 */
public final class ProgressLine {
    static final int CELLS = 10;

    private final PrintStream out;
    private final int width;
    private String shown = "";

    /** {@code width} is the terminal's width in columns; 0 or less means unknown. */
    public ProgressLine(PrintStream out, int width) {
        this.out = out;
        this.width = width;
    }

    /** The text of the line for a job's current record. */
    public static String render(Job job) {
        int progress = job.state() == JobState.SUCCEEDED ? 100 : Math.max(0, Math.min(100, job.progress()));
        int filled = progress * CELLS / 100;
        return "[" + "#".repeat(filled) + " ".repeat(CELLS - filled) + "] "
                + String.format("%3d%%", progress) + " " + label(job);
    }

    private static String label(Job job) {
        return switch (job.state()) {
            case SUCCEEDED -> "done";
            case FAILED -> "failed" + (job.step() == null || job.step().isBlank() ? "" : " (" + job.step() + ")");
            case PENDING -> job.step() == null || job.step().isBlank() ? "pending" : job.step();
            case RUNNING -> job.step() == null || job.step().isBlank() ? "running" : job.step();
        };
    }

    /** Rewrites the line if the job's text changed. */
    public void update(Job job) {
        String line = fit(render(job));
        if (line.equals(shown)) {
            return;
        }
        int padding = Math.max(0, shown.length() - line.length());
        out.print("\r" + line + " ".repeat(padding));
        out.flush();
        shown = line;
    }

    /** Shows the job's last record and ends the line. */
    public void finish(Job job) {
        update(job);
        out.println();
        out.flush();
    }

    /** Ends the line where it stands (interrupted while following). */
    public void abandon() {
        if (!shown.isEmpty()) {
            out.println();
            out.flush();
        }
    }

    private String fit(String line) {
        // the last column stays free: writing into it wraps the cursor on many terminals
        return width > 1 && line.length() > width - 1 ? line.substring(0, width - 1) : line;
    }
}
