package io.eddy.bench.peer;

import java.util.function.LongSupplier;

/** Waiting for a counter to reach a value. */
public final class Await {
    private Await() {}

    /** Waits until {@code counter} reaches {@code expected}, or it stays still for 3 s, or {@code seconds} pass. */
    public static long count(LongSupplier counter, long expected, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long last = -1;
        long lastChange = System.nanoTime();
        while (counter.getAsLong() < expected && System.nanoTime() < deadline) {
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 3_000_000_000L) {
                break;
            }
            Thread.sleep(5);
        }
        return counter.getAsLong();
    }
}
