package io.eddy.bench.workload;

/**
 * The harness's shared monotonic time base. Writers stamp {@code sent_ns = intended send time - BASE}
 * into each document; subscribers, in the same JVM, compute {@code now() - sent_ns} when the event arrives.
 */
public final class Clock {
    private static final long BASE = System.nanoTime();

    private Clock() {}

    /** Nanoseconds since the harness started (always positive, fits a 64-bit tagged long). */
    public static long now() { return System.nanoTime() - BASE; }
}
