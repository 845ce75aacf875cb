package io.eddy.fql;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

/**
 * Times out commits nobody waits for ({@link FqlEngine#executeAsync}): a commit still pending at its
 * deadline is failed with a {@link TimeoutException}, which the query reports as {@code time_out} (the
 * commit may still land, as with any lost response).
 *
 * <p>One sweeper for the whole JVM, ten times a second, instead of a timer per commit: watching a
 * commit costs one queue insertion, and a commit that completes (nearly all of them, well before
 * their deadline) is dropped by the next sweep. Deadlines are at least a second away, so a tenth of a
 * second of lateness does not matter.
 */
final class CommitWatchdog {
    static final long SWEEP_MILLIS = 100;

    private record Watched(CompletableFuture<Long> commit, long deadlineNanos) {}

    private static final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();

    static {
        Thread.ofVirtual().name("eddy-commit-watchdog").start(CommitWatchdog::run);
    }

    private CommitWatchdog() {}

    /** Fails {@code commit} with a {@link TimeoutException} if it is still pending at {@code deadlineNanos}. */
    static void watch(CompletableFuture<Long> commit, long deadlineNanos) {
        if (!commit.isDone()) watched.add(new Watched(commit, deadlineNanos));
    }

    private static void run() {
        while (true) {
            try {
                Thread.sleep(SWEEP_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Iterator<Watched> it = watched.iterator(); it.hasNext(); ) {
                Watched w = it.next();
                if (w.commit().isDone()) {
                    it.remove();
                } else if (now - w.deadlineNanos() >= 0) {
                    it.remove();
                    w.commit().completeExceptionally(new TimeoutException("commit pending past the query's deadline"));
                }
            }
        }
    }
}
