package io.eddy.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eddy.bench.BenchConfig;
import io.eddy.bench.scenario.Results;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a run's {@link Results} into the terminal table, {@code <timestamp>.md} (table, parameters,
 * details, notes) and {@code latest.json} (every figure as a top-level key, null when not produced, plus
 * run metadata and details).
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BenchConfig config;
    private final Results results;
    private final Map<String, Object> run;

    /** {@code run}: timestamp, machine, load averages, the peers' versions, duration. */
    public Report(BenchConfig config, Results results, Map<String, Object> run) {
        this.config = config;
        this.results = results;
        this.run = run;
    }

    public static String format(double v, String unit) {
        if (!Double.isFinite(v)) return "n/a";
        return switch (unit) {
            case "ratio" -> String.format(Locale.ROOT, "%.3f", v); // 0.898 must not read as a met 0.90
            case "ms" -> String.format(Locale.ROOT, "%.2f ms", v);
            case "bytes" -> String.format(Locale.ROOT, "%,.0f B", v);
            default -> String.format(Locale.ROOT, "%,.0f", v);
        };
    }

    private double value(String key) {
        Double v = results.figures().get(key);
        return v == null ? Double.NaN : v;
    }

    /** The figure table in Markdown (also printed to the terminal). */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | Eddy | target | met | peers (same run) |\n|---|---|---|---|---|\n");
        for (Figures.Spec s : Figures.ALL) {
            if (!config.runs(s.scenario())) continue;
            double v = value(s.key());
            StringBuilder peers = new StringBuilder();
            for (String pk : s.peerKeys()) {
                if (peers.length() > 0) peers.append("; ");
                String peerUnit = pk.startsWith("p6_creates") ? "per_s" : s.unit();
                peers.append(peerName(s, pk)).append(' ').append(format(value(pk), peerUnit));
            }
            sb.append("| `").append(s.key()).append("` | ").append(format(v, s.unit())).append(" | ").append(s.targetText())
                    .append(" | ").append(Double.isFinite(v) ? (s.meets(v) ? "yes" : "**no**") : "n/a").append(" | ")
                    .append(peers).append(" |\n");
        }
        return sb.toString();
    }

    private static String peerName(Figures.Spec s, String pk) {
        if (pk.startsWith(s.key() + "_")) return pk.substring(s.key().length() + 1);
        return pk;
    }

    /** Writes {@code <timestamp>.md} and {@code latest.json} to the results folder; returns the .md path. */
    public Path write(String timestamp) throws IOException {
        Path dir = config.resultsDir();
        Files.createDirectories(dir);
        Path md = dir.resolve(timestamp + ".md");
        Files.writeString(md, markdown());
        Files.writeString(dir.resolve("latest.json"), JSON.writeValueAsString(json()));
        return md;
    }

    /** latest.json: the figures as top-level numbers (null if missing), then run, targets, details, notes. */
    public Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        for (String key : Figures.requiredKeys(config.scenarios(), config.peers())) j.put(key, finite(value(key)));
        for (Map.Entry<String, Double> e : results.figures().entrySet()) j.putIfAbsent(e.getKey(), finite(e.getValue()));
        Map<String, Object> targets = new LinkedHashMap<>();
        for (Figures.Spec s : Figures.ALL) targets.put(s.key(), s.targetText());
        j.put("targets", targets);
        j.put("run", run);
        j.put("parameters", parameters());
        j.put("details", results.details());
        j.put("notes", results.notes());
        return j;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The parameters actually used. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", config.mode().name().toLowerCase(Locale.ROOT));
        p.put("scenarios", config.scenarios().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList());
        p.put("streams_per_connection", config.streamsPerConnection());
        p.put("payload_bytes", config.payloadBytes());
        p.put("p1", config.p1());
        p.put("p2", config.p2());
        p.put("p3", config.p3());
        p.put("p4", config.p4());
        p.put("p5", config.p5());
        p.put("p6", config.p6());
        p.put("extra", config.extra());
        Map<String, Object> plain = new LinkedHashMap<>();
        p.forEach((k, v) -> plain.put(k, v instanceof Record ? v.toString() : v));
        return plain;
    }

    public String markdown() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Eddy benchmark, ").append(run.get("timestamp")).append(" (").append(parameters().get("mode")).append(")\n\n");
        sb.append("- Machine: ").append(run.get("machine")).append('\n');
        String peers = peerVersions();
        if (!peers.isEmpty()) sb.append("- Peers: ").append(peers).append('\n');
        sb.append("- Load average (1 min) during the run: ").append(run.get("load_avg_summary")).append('\n');
        sb.append("- Duration: ").append(run.get("duration_s")).append(" s\n");
        sb.append("- Command: `").append(run.get("command")).append("`\n\n");
        sb.append(table()).append('\n');
        Map<String, Double> extra = new LinkedHashMap<>(results.figures());
        for (Figures.Spec s : Figures.ALL) {
            extra.remove(s.key());
            s.peerKeys().forEach(extra::remove);
        }
        if (!extra.isEmpty()) {
            sb.append("Other figures:\n\n");
            extra.forEach((k, v) -> sb.append("- `").append(k).append("`: ")
                    .append(String.format(Locale.ROOT, "%,.2f", v)).append('\n'));
            sb.append('\n');
        }
        List<String> notes = results.notes();
        if (!notes.isEmpty()) {
            sb.append("## Notes\n\n");
            notes.forEach(n -> sb.append("- ").append(n).append('\n'));
            sb.append('\n');
        }
        sb.append("## Parameters\n\n```json\n").append(JSON.writeValueAsString(parameters())).append("\n```\n\n");
        sb.append("## Details\n\n```json\n").append(JSON.writeValueAsString(results.details())).append("\n```\n");
        return sb.toString();
    }

    /** "PostgreSQL 15.14 (…); Redis 7.0.15", from the run's versions of the peers that ran; empty when none did. */
    String peerVersions() {
        List<String> v = new java.util.ArrayList<>();
        if (run.get("postgres_server_version") != null) v.add("PostgreSQL " + run.get("postgres_server_version"));
        if (run.get("redis_server_version") != null) v.add("Redis " + run.get("redis_server_version"));
        return String.join("; ", v);
    }

    public void print(PrintStream out) {
        out.println();
        out.println("Eddy benchmark (" + parameters().get("mode") + "), load average " + run.get("load_avg_summary"));
        out.println();
        out.print(table());
        Map<String, Double> figs = results.figures();
        figs.keySet().stream().filter(k -> k.startsWith("w_")).forEach(k ->
                out.println(String.format(Locale.ROOT, "  %s = %.2f", k, figs.get(k))));
        results.notes().forEach(n -> out.println("note: " + n));
    }
}
