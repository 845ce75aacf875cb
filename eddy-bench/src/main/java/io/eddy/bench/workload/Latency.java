package io.eddy.bench.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A latency histogram recorded from many threads, in microseconds, 3 significant digits, up to 10 minutes.
 *
 * <p>Each recording thread has its own HdrHistogram {@link SingleWriterRecorder}, and {@link #snapshot}
 * gathers their interval histograms. One recorder shared by the client's event loops (HdrHistogram's
 * multi-writer {@code Recorder}: an atomic epoch and atomic bucket counts) bounced its cache lines between
 * the cores a million times a second, a fifth of the client's time in the fan-out scenario. The harness
 * records from a bounded set of platform threads (event loops, writer threads), so the recorders stay few.
 */
public final class Latency {
    private static final long MAX_US = 600_000_000L;
    private final List<SingleWriterRecorder> recorders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<SingleWriterRecorder> own = ThreadLocal.withInitial(() -> {
        SingleWriterRecorder r = new SingleWriterRecorder(MAX_US, 3);
        recorders.add(r);
        return r;
    });
    private Histogram total = new Histogram(MAX_US, 3);
    /** When not null, the events over its bound are also kept with their arrival times. */
    private final LateEvents late;

    public Latency() { this(null); }

    /** A histogram that also keeps the events later than {@code late}'s bound, to tell stalls from a spread tail. */
    public Latency(LateEvents late) { this.late = late; }

    /** Records one event that arrived {@code nanos} after it was meant to be sent. */
    public void recordNanos(long nanos) {
        long us = Math.max(0, Math.min(MAX_US, nanos / 1000));
        own.get().recordValue(us);
        if (late != null && us > late.boundMicros()) late.record(Clock.now() / 1000, us);
    }

    /** The late events' summary ({@link LateEvents#summary}), or null when this histogram keeps none. */
    public Map<String, Object> lateSummary() { return late == null ? null : late.summary(); }

    /** Forgets everything recorded so far (e.g. after warm-up). */
    public synchronized void reset() {
        recorders.forEach(SingleWriterRecorder::reset);
        total = new Histogram(MAX_US, 3);
    }

    /** Everything recorded since the last reset. */
    public synchronized Histogram snapshot() {
        for (SingleWriterRecorder r : recorders) {
            total.add(r.getIntervalHistogram());
        }
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
