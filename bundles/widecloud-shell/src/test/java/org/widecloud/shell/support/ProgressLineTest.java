package org.widecloud.shell.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.widecloud.api.model.Job;
import org.widecloud.api.model.JobState;

class ProgressLineTest {

    static Job job(JobState state, int progress, String step, String error) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Job("j1", "vm-start", "vm", "v1", state, progress, step, error, "karaf", t, t, 0);
    }

    @Test
    void rendersBarPercentAndStep() {
        assertEquals("[          ]   0% queued", ProgressLine.render(job(JobState.PENDING, 0, "queued", null)));
        assertEquals("[          ]   0% pending", ProgressLine.render(job(JobState.PENDING, 0, null, null)));
        assertEquals("[#####     ]  50% defining domain",
                ProgressLine.render(job(JobState.RUNNING, 50, "defining domain", null)));
        assertEquals("[######### ]  99% x", ProgressLine.render(job(JobState.RUNNING, 99, "x", null)));
        assertEquals("[##        ]  20% failed (starting)",
                ProgressLine.render(job(JobState.FAILED, 20, "starting", "boom")));
    }

    @Test
    void successIsAlwaysAFullBar() {
        assertEquals("[##########] 100% done", ProgressLine.render(job(JobState.SUCCEEDED, 40, "done", null)));
    }

    @Test
    void outOfRangeProgressIsClamped() {
        assertEquals("[##########] 100% x", ProgressLine.render(job(JobState.RUNNING, 250, "x", null)));
        assertEquals("[          ]   0% x", ProgressLine.render(job(JobState.RUNNING, -5, "x", null)));
    }

    @Test
    void rewritesInPlaceAndPadsOverLongerPreviousText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 80);
        line.update(job(JobState.RUNNING, 10, "a long step name", null));
        line.update(job(JobState.RUNNING, 10, "a long step name", null)); // unchanged: nothing written
        line.update(job(JobState.RUNNING, 60, "short", null));
        line.finish(job(JobState.SUCCEEDED, 100, "done", null));
        String first = "[#         ]  10% a long step name";
        String second = "[######    ]  60% short";
        String last = "[##########] 100% done";
        String expected = "\r" + first
                + "\r" + second + " ".repeat(first.length() - second.length())
                + "\r" + last + " ".repeat(second.length() - last.length()) + System.lineSeparator();
        assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void neverWritesIntoTheTerminalsLastColumn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 20);
        line.update(job(JobState.RUNNING, 30, "copying the disk image", null));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("\r[###       ]  30% c", out);
        assertTrue(out.length() - 1 <= 19);
    }
}
