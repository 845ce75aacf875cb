package io.eddy.bench.workload;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop clients for throughput: each of {@code clients} clients writes one document, waits for the
 * acknowledgement, and writes the next, for a fixed time. Only writes acknowledged inside the measured
 * window (after a short warm-up) count.
 */
public final class ClosedLoop {
    /** Throughput and per-write latency of a run; {@code issued} counts every write, warm-up included. */
    public record Result(long acked, long failed, double seconds, Latency latency, long issued) {
        public double perSecond() { return acked / seconds; }
    }

    private ClosedLoop() {}

    public static Result run(WriteTarget target, int clients, double warmupSeconds, double seconds, OpenLoop.DocFactory docs)
            throws InterruptedException {
        Latency latency = new Latency();
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong seq = new AtomicLong();
        long t0 = Clock.now();
        long measureFrom = t0 + (long) (warmupSeconds * 1e9);
        long stopAt = measureFrom + (long) (seconds * 1e9);
        CountDownLatch finished = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            new Client(target, docs, seq, measureFrom, stopAt, acked, failed, latency, finished).next();
        }
        if (!finished.await((long) (warmupSeconds + seconds + 60), TimeUnit.SECONDS)) {
            throw new IllegalStateException("closed-loop clients did not finish");
        }
        return new Result(acked.sum(), failed.sum(), seconds, latency, seq.get());
    }

    private record Client(WriteTarget target, OpenLoop.DocFactory docs, AtomicLong seq, long measureFrom, long stopAt,
                          LongAdder acked, LongAdder failed, Latency latency, CountDownLatch finished) {
        void next() {
            long now = Clock.now();
            if (now >= stopAt) {
                finished.countDown();
                return;
            }
            target.write(docs.doc(seq.getAndIncrement(), now)).whenComplete((r, e) -> {
                long done = Clock.now();
                if (done >= measureFrom && done < stopAt) {
                    if (e != null) {
                        failed.increment();
                    } else {
                        acked.increment();
                        latency.recordNanos(done - now);
                    }
                }
                if (e != null && failed.sum() > 1000 && acked.sum() == 0) {
                    finished.countDown();
                    return;
                }
                next();
            });
        }
    }
}
