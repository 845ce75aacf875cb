package io.eddy.bench.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency histogram recorded from many threads (HdrHistogram's wait-free {@link Recorder}), in
 * microseconds, 3 significant digits, up to 10 minutes. Also counts events and events too late to matter.
 */
public final class Latency {
    private static final long MAX_US = 600_000_000L;
    private final Recorder recorder = new Recorder(MAX_US, 3);
    private final LongAdder count = new LongAdder();
    private Histogram total = new Histogram(MAX_US, 3);

    /** Records one event that arrived {@code nanos} after it was meant to be sent. */
    public void recordNanos(long nanos) {
        long us = Math.max(0, Math.min(MAX_US, nanos / 1000));
        recorder.recordValue(us);
        count.increment();
    }

    /** Events recorded since the last {@link #reset}. */
    public long count() { return count.sum(); }

    /** Forgets everything recorded so far (e.g. after warm-up). */
    public synchronized void reset() {
        recorder.reset();
        total = new Histogram(MAX_US, 3);
        count.reset();
    }

    /** Everything recorded since the last reset. */
    public synchronized Histogram snapshot() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    /** p50, p99, p99.9 and max in milliseconds, plus the count. */
    public static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50_ms", ms(h.getValueAtPercentile(50)));
        m.put("p99_ms", ms(h.getValueAtPercentile(99)));
        m.put("p999_ms", ms(h.getValueAtPercentile(99.9)));
        m.put("max_ms", ms(h.getMaxValue()));
        return m;
    }

    public static double p99Ms(Histogram h) { return ms(h.getValueAtPercentile(99)); }

    public static double p50Ms(Histogram h) { return ms(h.getValueAtPercentile(50)); }

    private static double ms(long us) {
        return Math.round(us / 10.0) / 100.0;
    }
}
