package io.eddy.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyTest {
    /** Values recorded by several threads at once all reach the snapshot, and snapshots accumulate. */
    @Test
    void everyThreadsValuesReachTheSnapshot() throws Exception {
        Latency lat = new Latency();
        int threads = 4, perThread = 50_000;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long micros = (t + 1) * 1000L; // thread t records (t+1) ms
            ts[t] = new Thread(() -> {
                for (int i = 0; i < perThread; i++) lat.recordNanos(micros * 1000);
            });
            ts[t].start();
        }
        Histogram mid = lat.snapshot(); // while they record: never more than was recorded
        assertThat(mid.getTotalCount()).isLessThanOrEqualTo((long) threads * perThread);
        for (Thread t : ts) t.join();
        Histogram h = lat.snapshot();
        assertThat(h.getTotalCount()).isEqualTo((long) threads * perThread);
        assertThat(Latency.p50Ms(h)).isEqualTo(2.0);
        assertThat(h.getMaxValue()).isBetween(3_999L, 4_001L);
        lat.recordNanos(10_000_000); // 10 ms, from this thread
        assertThat(lat.snapshot().getTotalCount()).isEqualTo((long) threads * perThread + 1);
        lat.reset();
        assertThat(lat.snapshot().getTotalCount()).isZero();
    }
}
