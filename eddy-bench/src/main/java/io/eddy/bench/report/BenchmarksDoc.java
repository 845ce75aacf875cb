package io.eddy.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps the "Latest figures" section of {@code BENCHMARKS.md} in step with {@code latest.json}: the text
 * between {@value #BEGIN} and {@value #END} is replaced by the run's machine, load averages, figure table
 * and other figures. A full run of every scenario does this itself; {@code main} does it by hand
 * ({@code java -cp … io.eddy.bench.report.BenchmarksDoc BENCHMARKS.md bench/results/latest.json}).
 */
public final class BenchmarksDoc {
    static final String BEGIN = "<!-- figures:begin -->";
    static final String END = "<!-- figures:end -->";

    private BenchmarksDoc() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchmarksDoc BENCHMARKS.md latest.json");
            System.exit(2);
        }
        update(Path.of(args[0]), Path.of(args[1]));
    }

    /** Rewrites the section of {@code doc} from {@code latestJson}; false when the markers are missing. */
    public static boolean update(Path doc, Path latestJson) throws IOException {
        String text = Files.readString(doc);
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) return false;
        String section = section(new ObjectMapper().readTree(latestJson.toFile()));
        Files.writeString(doc, text.substring(0, b + BEGIN.length()) + "\n" + section + text.substring(e));
        return true;
    }

    static String section(JsonNode j) {
        JsonNode run = j.path("run");
        StringBuilder sb = new StringBuilder();
        sb.append("Run `").append(run.path("timestamp").asText()).append("` (")
                .append(j.path("parameters").path("mode").asText()).append(", ").append(run.path("duration_s").asText())
                .append(" s; details in `bench/results/").append(run.path("timestamp").asText()).append(".md`)\n\n");
        sb.append("- Machine: ").append(run.path("machine").asText()).append('\n');
        sb.append("- Load average (1 min) at the start: ").append(run.path("load_avg_at_start").asText())
                .append("; during the run: ").append(run.path("load_avg_summary").asText())
                .append(" (counts the benchmark's own threads)\n\n");
        sb.append("| key | Eddy | target | met | peers (same run) |\n|---|---|---|---|---|\n");
        for (Figures.Spec s : Figures.ALL) {
            double v = num(j, s.key());
            StringBuilder peers = new StringBuilder();
            for (String pk : s.peerKeys()) {
                if (peers.length() > 0) peers.append("; ");
                String name = pk.startsWith(s.key() + "_") ? pk.substring(s.key().length() + 1) : pk;
                peers.append(name).append(' ').append(Report.format(num(j, pk), pk.startsWith("p6_creates") ? "per_s" : s.unit()));
            }
            sb.append("| `").append(s.key()).append("` | ").append(Report.format(v, s.unit())).append(" | ")
                    .append(s.targetText()).append(" | ").append(Double.isFinite(v) ? (s.meets(v) ? "yes" : "**no**") : "n/a")
                    .append(" | ").append(peers).append(" |\n");
        }
        StringBuilder other = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isNumber()) continue;
            boolean inTable = Figures.ALL.stream().anyMatch(s -> s.key().equals(f.getKey()) || s.peerKeys().contains(f.getKey()));
            if (!inTable) {
                other.append("- `").append(f.getKey()).append("`: ")
                        .append(String.format(Locale.ROOT, "%,.2f", f.getValue().asDouble())).append('\n');
            }
        }
        if (other.length() > 0) sb.append("\nOther figures of the run:\n\n").append(other);
        return sb.toString();
    }

    private static double num(JsonNode j, String key) {
        JsonNode v = j.get(key);
        return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
