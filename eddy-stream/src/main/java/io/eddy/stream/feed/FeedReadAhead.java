package io.eddy.stream.feed;

import io.eddy.core.changelog.LogPosition;
import io.eddy.stream.event.Event;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads a feed's next page before the client asks for it.
 *
 * <p>Why: a client pages through a feed one request after the other (a driver's feed iterator asks
 * for the next page once it has the previous one), so between two pages the change log's reader is
 * idle while the page's last events are rendered, sent and taken in by the client, and the next
 * request travels back. When a page ends with {@code has_next}, the engine starts reading the page
 * after it here, on another thread; the request for that page, when it comes, takes what was read
 * and goes on from there. A sequential scan reading ahead, as file systems and databases do. A
 * read-ahead that fills its page starts the next one in turn, up to {@code depth} pages ahead of the
 * feed's client, so the reader keeps reading while the client takes in the end of a page (the start of
 * a read-ahead beyond that depth waits, parked, until the client takes a page).
 *
 * <p>Invariants:
 * <ul>
 *   <li><b>A read-ahead is a prefix of the page, never a different page.</b> It derives with
 *       {@link io.eddy.stream.derive.NoReadsTransaction} (a source whose derivation reads the store
 *       fails the read-ahead, and the request reads itself), so its events depend only on the
 *       change-log records; it reads only records at or before its horizon, which are committed and
 *       never change. The request continues from where the read-ahead stopped up to its own, later
 *       horizon, so the page is the one it would have read itself (a filter on {@code Time.now()}
 *       sees the read-ahead's time, as if the request had come a moment earlier).</li>
 *   <li><b>Taken at most once</b>, by the request for exactly that page: the {@link Key} is the token,
 *       the position the page starts after (what the previous page's cursor decodes to) and the page
 *       size.</li>
 *   <li><b>Bounded</b>: at most {@code capacity} read-aheads are held or running (each at most one page
 *       and one event), at most {@code depth} of them for one token (a feed); a new one drops the
 *       oldest; one not taken within {@code keepNanos} is dropped. At most {@code capacity} starts are
 *       parked, one per token, each a continuation of no size.
 *       A client that stops paging leaves at most that behind, for that long. A read-ahead dropped
 *       while it runs finishes its read, bounded by its page and its deadline, and is discarded.</li>
 * </ul>
 * Thread-safe.
 */
public final class FeedReadAhead {
    /** The page a read-ahead is for. */
    public record Key(String token, LogPosition after, int pageSize) {}

    /**
     * What a read-ahead read: the page's first events in log order (up to one past the page, as the
     * request reads to learn {@code has_next}), the position of the last record examined, and whether
     * records were left unexamined at its horizon (as {@link LogScanner.Result}).
     */
    public record Prefix(List<Event> events, LogPosition lastScanned, boolean more) {
        public Prefix {
            events = List.copyOf(events);
        }
    }

    /**
     * What read-aheads did so far: started, taken by the request for their page, dropped (never asked
     * for, or asked for too late), failed (a derivation that reads, or an error: the request read itself).
     */
    public record Counts(long started, long taken, long dropped, long failed) {}

    private record Entry(CompletableFuture<Prefix> prefix, long startedNanos) {}

    /** A start refused for its feed's depth, run when the feed's client takes a page. */
    private record Parked(Key key, Supplier<Prefix> read) {}

    private final int capacity;
    private final int depth;
    private final long keepNanos;
    private final Executor executor;
    private final LongSupplier nanoTime;
    /** In the order started, so the eldest is first. Guarded by {@code this}, as are the counts. */
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    /** By token, eldest first. Guarded by {@code this}. */
    private final Map<String, Parked> parked = new LinkedHashMap<>();
    private long started;
    private long taken;
    private long dropped;
    private long failed;
    private boolean closed;

    /**
     * @param capacity read-aheads held or running at once; 0 turns reading ahead off
     * @param depth read-aheads held or running at once for one token (1 or more)
     * @param keepNanos how long a read-ahead waits to be taken
     * @param executor runs each read-ahead (it reads RocksDB: a virtual thread each suits it)
     * @param nanoTime the clock of {@code keepNanos} and the requests' deadlines
     */
    public FeedReadAhead(int capacity, int depth, long keepNanos, Executor executor, LongSupplier nanoTime) {
        if (capacity < 0) throw new IllegalArgumentException("capacity must be >= 0");
        if (depth < 1) throw new IllegalArgumentException("depth must be >= 1");
        if (keepNanos <= 0) throw new IllegalArgumentException("keepNanos must be positive");
        this.capacity = capacity;
        this.depth = depth;
        this.keepNanos = keepNanos;
        this.executor = executor;
        this.nanoTime = nanoTime;
    }

    /**
     * Starts reading the page at {@code key} with {@code read}, unless it is being read already,
     * reading ahead is off, or this is closed; parks it if its feed has {@code depth} read-aheads
     * already (the next {@link #take} of that feed starts it).
     */
    public void start(Key key, Supplier<Prefix> read) {
        if (capacity == 0) return;
        CompletableFuture<Prefix> prefix = new CompletableFuture<>();
        synchronized (this) {
            long now = nanoTime.getAsLong();
            dropExpired(now);
            if (closed || entries.containsKey(key)) return;
            if (heldFor(key.token()) >= depth) {
                parked.remove(key.token()); // the latest start is the feed's frontier
                parked.put(key.token(), new Parked(key, read));
                while (parked.size() > capacity) {
                    parked.remove(parked.keySet().iterator().next());
                }
                return;
            }
            Iterator<Entry> eldest = entries.values().iterator();
            while (entries.size() >= capacity) {
                eldest.next();
                eldest.remove();
                dropped++;
            }
            entries.put(key, new Entry(prefix, now));
            started++;
        }
        try {
            executor.execute(() -> {
                try {
                    prefix.complete(read.get());
                } catch (Throwable t) {
                    prefix.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            prefix.completeExceptionally(e); // taken as failed, or dropped
        }
    }

    /**
     * The read-ahead of the page at {@code key}, waiting for it until {@code deadlineNanos} if it is
     * still reading; null when there is none, it failed, or it is not done by then (the request then
     * reads the page itself).
     */
    public Prefix take(Key key, long deadlineNanos) {
        Entry entry;
        Parked resume;
        synchronized (this) {
            dropExpired(nanoTime.getAsLong());
            entry = entries.remove(key);
            resume = entry == null ? null : parked.remove(key.token());
        }
        if (resume != null) start(resume.key(), resume.read()); // the feed has room again
        if (entry == null) return null;
        try {
            Prefix p = entry.prefix().get(Math.max(0, deadlineNanos - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
            synchronized (this) {
                taken++;
            }
            return p;
        } catch (TimeoutException e) {
            synchronized (this) {
                dropped++;
            }
        } catch (ExecutionException e) {
            synchronized (this) {
                failed++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    public synchronized Counts counts() {
        return new Counts(started, taken, dropped, failed);
    }

    /** Read-aheads held now (started and not yet taken or dropped). */
    public synchronized int held() {
        return entries.size();
    }

    /** Drops every read-ahead and starts no more. */
    public synchronized void close() {
        closed = true;
        dropped += entries.size();
        entries.clear();
        parked.clear();
    }

    private int heldFor(String token) {
        int n = 0;
        for (Key k : entries.keySet()) {
            if (k.token().equals(token)) n++;
        }
        return n;
    }

    private void dropExpired(long now) {
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().startedNanos() - keepNanos <= 0) break; // the rest started later
            it.remove();
            dropped++;
        }
    }
}
