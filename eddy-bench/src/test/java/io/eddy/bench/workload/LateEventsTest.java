package io.eddy.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LateEventsTest {
    /** A stall (twelve late events within a few ms) and three isolated late events make four clusters. */
    @Test
    void tellsAStallFromIsolatedLateEvents() {
        LateEvents late = new LateEvents(1_000, 100);
        late.record(5_000, 1_000);   // at the bound: not late
        late.record(6_000, 400);     // early
        for (int i = 0; i < 12; i++) late.record(100_000 + i * 300L, 3_000 - i * 100L); // a stall, 300 us apart
        late.record(50_000, 1_200);  // recorded out of order: the summary sorts
        late.record(200_000, 1_500);
        late.record(201_500, 1_100); // 1.5 ms after the previous one: a cluster of its own
        Map<String, Object> s = late.summary();
        assertThat(s).containsEntry("late_events", 15L).containsEntry("dropped", 0L)
                .containsEntry("clusters", 4).containsEntry("largest_cluster", 12).containsEntry("in_stalls", 12L)
                .containsEntry("bound_ms", 1.0);
    }

    /** Past its capacity it keeps the first events and counts the rest as dropped. */
    @Test
    void countsWhatItCannotKeep() {
        LateEvents late = new LateEvents(0, 3);
        for (int i = 0; i < 5; i++) late.record(i * 10_000L, 5);
        Map<String, Object> s = late.summary();
        assertThat(s).containsEntry("late_events", 3L).containsEntry("dropped", 2L).containsEntry("clusters", 3)
                .containsEntry("in_stalls", 0L);
    }

    /** A histogram with late events keeps those over the bound beside its own counts; one without has none. */
    @Test
    void latencyKeepsItsLateEvents() {
        Latency with = new Latency(new LateEvents(1_000, 10));
        with.recordNanos(500_000);
        with.recordNanos(2_000_000);
        assertThat(with.snapshot().getTotalCount()).isEqualTo(2);
        assertThat(with.lateSummary()).containsEntry("late_events", 1L);
        assertThat(new Latency().lateSummary()).isNull();
    }
}
