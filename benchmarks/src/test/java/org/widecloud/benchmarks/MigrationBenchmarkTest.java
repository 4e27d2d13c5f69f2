package org.widecloud.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic and verdict (the migrations themselves need the lab: benchmarks/run.sh migration). */
class MigrationBenchmarkTest {

    @Test
    void quantilesAreNearestRankAndTheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        double[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5.5, MigrationBenchmark.quantile(ten, 0.5));
        assertEquals(10, MigrationBenchmark.quantile(ten, 0.95));
        assertEquals(2, MigrationBenchmark.quantile(new double[] {1, 2, 3}, 0.5));
        assertTrue(Double.isNaN(MigrationBenchmark.quantile(new double[0], 0.5)));
    }

    @Test
    void theReportGivesEachMigrationsRatioAndExcessAndAVerdictAgainstDowntimePlus50Ms() {
        List<MigrationBenchmark.Row> rows = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            // one migration of ten over the target: gap 100 ms for 40 ms of downtime
            long gap = i == 7 ? 100 : 60;
            rows.add(new MigrationBenchmark.Row(i, i % 2 == 1 ? "A->B" : "B->A", gap, 40, 75_000_000, 2300, "40",
                    "2400", "0", "4.5", "0"));
        }
        String out = printed(() -> MigrationBenchmark.report("controller", rows));
        assertTrue(out.contains("| 7 | A->B | 100 ms | 40 ms | 2.50 | +60 ms | 40 of 2400 | 71.5 MiB | 2.30 s | 0 (4.5 ms) | 0 |"),
                out);
        assertTrue(out.contains("RESULT controller: 10 migrations; gap median 60 ms p95 100 ms; libvirt downtime median "
                + "40 ms p95 40 ms; gap/downtime median 1.50 p95 2.50; gap-downtime median 20 ms p95 60 ms; target gap <= "
                + "downtime + 50 ms: met by 9 of 10 migrations (MISSED), median within, p95 over"), out);
    }

    private static String printed(Runnable r) {
        PrintStream was = System.out;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setOut(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(was);
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
