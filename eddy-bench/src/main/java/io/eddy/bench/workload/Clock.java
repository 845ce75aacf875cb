package io.eddy.bench.workload;

/**
 * The harness's time bases. {@link #now()} is monotonic: writers stamp {@code sent_ns = intended send time -
 * BASE} into each document; subscribers, in the same JVM, compute {@code now() - sent_ns} when the event
 * arrives. {@link #wallMicros()} is the machine's wall clock, the one the databases (all on this machine) use
 * for their commit timestamps, so {@code wallMicros() - commit timestamp} is commit-to-delivery.
 */
public final class Clock {
    private static final long BASE = System.nanoTime();

    private Clock() {}

    /** Nanoseconds since the harness started (always positive, fits a 64-bit tagged long). */
    public static long now() { return System.nanoTime() - BASE; }

    /** Microseconds since the Unix epoch, from the wall clock. */
    public static long wallMicros() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
