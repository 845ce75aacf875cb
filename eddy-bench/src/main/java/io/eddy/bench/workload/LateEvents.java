package io.eddy.bench.workload;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events that arrived later than a bound, with their arrival times: tells a tail made of stalls (many
 * events held back together, then delivered in one burst) from one spread evenly over the run.
 *
 * <p>Why: a p99 says how many events were late, not why. On this machine P2's late events come mostly in
 * bursts: a few milliseconds in which every event committed is held back and then arrives at once (a GC
 * pause, or a woken thread queued behind another runnable one on a busy core while the other core idles).
 * A burst shows as one cluster here; a slow path that every event takes shows as many clusters of one or
 * two. See BENCHMARKS.md, P2.
 *
 * <p>A cluster is a run of late events whose arrivals are less than {@link #CLUSTER_GAP_MICROS} apart. At
 * most {@code capacity} events are kept (the first ones); {@link #summary} says when some were dropped.
 * Recording takes a lock, which is cheap at the rate of late events (1% of a run's events at p99).
 */
public final class LateEvents {
    /** Late events arriving closer together than this belong to the same cluster. */
    static final long CLUSTER_GAP_MICROS = 1_000;
    /** A cluster of at least this many events counts as a stall in the summary. */
    static final int STALL_EVENTS = 10;

    private final long boundMicros;
    private final long[] arrivals;
    private int size;
    private long dropped;

    public LateEvents(long boundMicros, int capacity) {
        if (boundMicros < 0 || capacity < 1) throw new IllegalArgumentException("bound >= 0 and capacity >= 1");
        this.boundMicros = boundMicros;
        this.arrivals = new long[capacity];
    }

    public long boundMicros() { return boundMicros; }

    /** Records an event that arrived at {@code arrivalMicros} (any clock) with {@code latencyMicros}, if late. */
    public void record(long arrivalMicros, long latencyMicros) {
        if (latencyMicros <= boundMicros) return;
        synchronized (this) {
            if (size < arrivals.length) arrivals[size++] = arrivalMicros;
            else dropped++;
        }
    }

    /**
     * {@code late_events} (kept), {@code dropped}, {@code clusters}, {@code largest_cluster}, and
     * {@code in_stalls}: how many late events were in clusters of at least {@value #STALL_EVENTS}.
     */
    public synchronized Map<String, Object> summary() {
        long[] a = Arrays.copyOf(arrivals, size);
        Arrays.sort(a);
        int clusters = 0;
        int largest = 0;
        long inStalls = 0;
        int run = 0;
        for (int i = 0; i < a.length; i++) {
            if (i > 0 && a[i] - a[i - 1] < CLUSTER_GAP_MICROS) {
                run++;
            } else {
                if (run >= STALL_EVENTS) inStalls += run;
                run = 1;
                clusters++;
            }
            largest = Math.max(largest, run);
        }
        if (run >= STALL_EVENTS) inStalls += run;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bound_ms", boundMicros / 1000.0);
        m.put("late_events", (long) a.length);
        m.put("dropped", dropped);
        m.put("clusters", clusters);
        m.put("largest_cluster", largest);
        m.put("in_stalls", inStalls);
        return m;
    }
}
