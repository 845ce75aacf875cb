package io.eddy.bench.workload;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop writers: write {@code n} is due at {@code start + n / rate}, whatever happened to earlier
 * writes, and carries that intended time as {@code sent_ns}. A write issued late (the scheduler or target
 * fell behind) still carries its intended time, so its delay counts in the latency: no coordinated
 * omission. The scheduler never waits for acknowledgements; in-flight writes are bounded only by
 * {@code maxInFlight}, beyond which writes are counted as {@code shed} rather than queued without bound.
 */
public final class OpenLoop {
    /** What a run did. */
    public record Result(long sent, long acked, long failed, long shed, double seconds, Latency ack) {
        public double ackedPerSecond() { return acked / seconds; }

        /** Adds the write counts and the achieved rate to a scenario's results, under their report keys. */
        public void putCounts(java.util.Map<String, Object> r) {
            r.put("writes_sent", sent);
            r.put("writes_acked", acked);
            r.put("writes_failed", failed);
            r.put("writes_shed", shed);
            r.put("achieved_writes_per_s", Math.round(ackedPerSecond()));
        }
    }

    /** Makes the document of write {@code n} stamped with {@code sentNs}. */
    public interface DocFactory {
        Doc doc(long n, long sentNs);
    }

    private OpenLoop() {}

    /** Runs {@code seconds} at {@code rate} writes/s; returns once the schedule is done and acks drained (up to 10 s). */
    public static Result run(WriteTarget target, double rate, double seconds, int maxInFlight, DocFactory docs) {
        Latency ack = new Latency();
        AtomicLong inFlight = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long shed = 0;
        long total = (long) Math.ceil(rate * seconds);
        double intervalNs = 1e9 / rate;
        long start = Clock.now() + 1_000_000; // 1 ms ahead
        long n = 0;
        for (; n < total; n++) {
            long due = start + (long) (n * intervalNs);
            long wait = due - Clock.now();
            if (wait > 50_000) LockSupport.parkNanos(wait - 20_000);
            while (Clock.now() < due) Thread.onSpinWait();
            if (inFlight.get() >= maxInFlight) {
                shed++;
                continue;
            }
            inFlight.incrementAndGet();
            final long intended = due;
            target.write(docs.doc(n, intended)).whenComplete((r, e) -> {
                inFlight.decrementAndGet();
                if (e != null) {
                    failed.incrementAndGet();
                } else {
                    acked.incrementAndGet();
                    ack.recordNanos(Clock.now() - intended);
                }
            });
        }
        double elapsed = (Clock.now() - start) / 1e9;
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) LockSupport.parkNanos(1_000_000);
        return new Result(n - shed, acked.get(), failed.get(), shed, Math.max(elapsed, 1e-9), ack);
    }
}
