package io.eddy.bench.report;

import io.eddy.bench.BenchConfig.Scenario;
import java.util.List;

/** The figures of the table: key, what it measures, target, and the peers' keys beside it. */
public final class Figures {
    /** One row of the table. */
    public record Spec(Scenario scenario, String key, String measure, String unit, double target, boolean higherIsBetter,
                       List<String> peerKeys) {
        public String targetText() {
            return (higherIsBetter ? ">= " : "<= ") + Report.format(target, unit);
        }

        public boolean meets(double value) {
            return Double.isFinite(value) && (higherIsBetter ? value >= target : value <= target);
        }
    }

    public static final List<Spec> ALL = List.of(
            new Spec(Scenario.P1, "p1_write_tax_ratio", "durable commits/s with live F1 streams / with none", "ratio", 0.90, true,
                    List.of("p1_write_tax_ratio_postgres_notify", "p1_write_tax_ratio_postgres_logical")),
            new Spec(Scenario.P2, "p2_delivery_p99_ms", "commit->delivery p99, F1 streams under open-loop writes", "ms", 1.0, false,
                    List.of("p2_delivery_p99_ms_postgres_notify", "p2_delivery_p99_ms_postgres_logical")),
            new Spec(Scenario.P3, "p3_fanout_events_per_s", "events/s delivered to F2 subscribers with p99 < 100 ms", "events/s",
                    1_000_000, true, List.of("p3_fanout_events_per_s_redis")),
            new Spec(Scenario.P4, "p4_heap_bytes_per_idle_stream", "server heap after GC per idle stream", "bytes", 2048, false,
                    List.of("p4_heap_bytes_per_idle_stream_redis")),
            new Spec(Scenario.P5, "p5_feed_replay_events_per_s", "events/s replayed through /feed/1 (page_size 16000)", "events/s",
                    1_000_000, true, List.of("p5_feed_replay_events_per_s_postgres_logical")),
            new Spec(Scenario.P6, "p6_create_ratio_vs_postgres", "durable creates/s / Postgres single-row inserts/s", "ratio", 1.0,
                    true, List.of("p6_creates_per_s", "p6_creates_per_s_postgres")));

    /**
     * The extra scenario's figures (no target, not in the table): commit-to-delivery p99 of F2–F5 on Eddy,
     * each followed by the logical-decoding peer's.
     */
    public static final List<String> EXTRA_KEYS = java.util.stream.Stream.of("f2", "f3", "f4", "f5")
            .flatMap(f -> java.util.stream.Stream.of("w_" + f + "_delivery_p99_ms", "w_" + f + "_delivery_p99_ms_postgres_logical"))
            .toList();

    private Figures() {}

    /**
     * Every key a run of {@code scenarios} must produce (figures and their peers, then the extra
     * scenario's); without the peers, only Eddy's own (not the peers' figures, nor P6's ratio to PostgreSQL).
     */
    public static List<String> requiredKeys(java.util.Set<Scenario> scenarios, boolean peers) {
        java.util.stream.Stream<String> table = ALL.stream().filter(s -> scenarios.contains(s.scenario()))
                .flatMap(s -> java.util.stream.Stream.concat(java.util.stream.Stream.of(s.key()), s.peerKeys().stream()));
        java.util.stream.Stream<String> extra = scenarios.contains(Scenario.EXTRA) ? EXTRA_KEYS.stream() : java.util.stream.Stream.empty();
        return java.util.stream.Stream.concat(table, extra)
                .filter(key -> peers || !(key.contains("postgres") || key.contains("redis")))
                .toList();
    }
}
