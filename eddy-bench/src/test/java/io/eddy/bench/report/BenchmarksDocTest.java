package io.eddy.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksDocTest {
    @Test
    void replacesOnlyTheMarkedSection(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("BENCHMARKS.md");
        Files.writeString(doc, "# B\n\n## Latest\n\n" + BenchmarksDoc.BEGIN + "\nold\n" + BenchmarksDoc.END + "\n\n## How\nkeep\n");
        Path json = dir.resolve("latest.json");
        Files.writeString(json, """
                {"p1_write_tax_ratio": 0.95, "p2_delivery_p99_ms": null, "p6_creates_per_s": 9000.0, "w_f3_delivery_p99_ms": 2.5,
                 "run": {"timestamp": "T1", "machine": "M", "load_avg_at_start": "0.10 0.20 0.30", "load_avg_summary": "mean 3", "duration_s": 400},
                 "parameters": {"mode": "full"}}""");
        assertThat(BenchmarksDoc.update(doc, json)).isTrue();
        String text = Files.readString(doc);
        assertThat(text).doesNotContain("old").contains("## How\nkeep\n").contains("Run `T1` (full, 400 s")
                .contains("- Machine: M").contains("0.10 0.20 0.30")
                .contains("| `p1_write_tax_ratio` | 0.950 | >= 0.900 | yes |")
                .contains("| `p2_delivery_p99_ms` | n/a | <= 1.00 ms | n/a |")
                .contains("p6_creates_per_s 9,000")
                .contains("- `w_f3_delivery_p99_ms`: 2.50");
        assertThat(BenchmarksDoc.update(doc, json)).isTrue(); // idempotent
        assertThat(Files.readString(doc)).isEqualTo(text);
        Files.writeString(doc, "no markers");
        assertThat(BenchmarksDoc.update(doc, json)).isFalse();
    }
}
