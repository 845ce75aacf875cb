package io.eddy.fql.interp;

import io.eddy.core.txn.Transaction;
import io.eddy.fql.api.Principal;
import io.eddy.fql.ast.Span;
import io.eddy.fql.auth.KeySecrets;
import io.eddy.fql.runtime.InlineBudgetExceeded;
import io.eddy.fql.runtime.QueryException;
import java.time.Instant;

/**
 * Everything one evaluation needs besides the scope: the transaction, the time budget, whether writes
 * are allowed, and the cost counters and log output reported with the response.
 *
 * <p>Not thread-safe: one query evaluates on one thread.
 */
public final class QueryContext {
    /** Evaluation steps between two deadline checks; checking the clock on every step costs too much. */
    private static final int DEADLINE_CHECK_INTERVAL = 256;
    /**
     * The inline budget: what a query run on an event loop may do before it is abandoned and run again
     * on a virtual thread (a few dozen microseconds of work; reads are cached or in the memtable).
     */
    public static final int INLINE_MAX_STEPS = 1_000;
    public static final int INLINE_MAX_READS = 8;

    private final Transaction txn;
    private final long deadlineNanos;
    private final String readOnlyReason;
    private final Instant now;
    private final Cursors cursors;
    private final Principal principal;
    private final KeySecrets keySecrets;
    private final StringBuilder log = new StringBuilder();
    private long readOps;
    private long writeOps;
    private long computeSteps;
    /** Steps and reads allowed before {@link InlineBudgetExceeded}; unlimited unless run inline. */
    private final long maxSteps;
    private final long maxReads;

    /**
     * @param readOnlyReason null if writes are allowed, else the message of the {@code invalid_effect}
     *     error a write raises
     */
    public QueryContext(Transaction txn, long deadlineNanos, String readOnlyReason, Instant now, Cursors cursors) {
        this(txn, deadlineNanos, readOnlyReason, now, cursors, Principal.ROOT, null);
    }

    /**
     * @param principal who the query runs as: its role limits what it may do
     * @param keySecrets mints the secrets of keys this query creates (null: it cannot create keys)
     */
    public QueryContext(Transaction txn, long deadlineNanos, String readOnlyReason, Instant now, Cursors cursors,
                        Principal principal, KeySecrets keySecrets) {
        this(txn, deadlineNanos, readOnlyReason, now, cursors, principal, keySecrets, false);
    }

    /**
     * @param inline run under the inline budget: more than {@link #INLINE_MAX_STEPS} steps or
     *     {@link #INLINE_MAX_READS} reads, or any schema change, throws {@link InlineBudgetExceeded}
     */
    public QueryContext(Transaction txn, long deadlineNanos, String readOnlyReason, Instant now, Cursors cursors,
                        Principal principal, KeySecrets keySecrets, boolean inline) {
        this.maxSteps = inline ? INLINE_MAX_STEPS : Long.MAX_VALUE;
        this.maxReads = inline ? INLINE_MAX_READS : Long.MAX_VALUE;
        this.txn = txn;
        this.principal = principal;
        this.keySecrets = keySecrets;
        this.cursors = cursors;
        this.deadlineNanos = deadlineNanos;
        this.readOnlyReason = readOnlyReason;
        this.now = now;
    }

    public Transaction txn() { return txn; }

    /** Encodes and decodes pagination cursors and event-source tokens. */
    public Cursors cursors() { return cursors; }

    /** The transaction's time, returned by {@code Time.now()}. */
    public Instant now() { return now; }

    /** Counts one evaluation step and enforces the deadline. */
    public void step(Span span) {
        if ((++computeSteps % DEADLINE_CHECK_INTERVAL) == 0 && System.nanoTime() - deadlineNanos > 0) {
            throw new QueryException("time_out", "Query timed out.", span, null, 440);
        }
        if (computeSteps > maxSteps) throw InlineBudgetExceeded.INSTANCE;
    }

    /** Who the query runs as. */
    public Principal principal() { return principal; }

    /** Mints key secrets; null where keys cannot be created. */
    KeySecrets keySecrets() { return keySecrets; }

    /** Called before every write. */
    public void checkWrite(Span span) {
        if (readOnlyReason != null) throw new QueryException("invalid_effect", readOnlyReason, span);
        if (!principal.role().canWrite()) throw permissionDenied(span);
        writeOps++;
    }

    /** Called before any access to keys. */
    void checkKeyAccess(Span span) {
        if (!principal.role().canManageKeys()) throw permissionDenied(span);
    }

    private QueryException permissionDenied(Span span) {
        return new QueryException("permission_denied", "Insufficient privileges to perform the action: the `"
                + principal.role().wireName() + "` role " + (principal.role().canWrite() ? "cannot manage keys." : "cannot write."),
                span, null, 403);
    }

    public void countRead() {
        if (++readOps > maxReads) throw InlineBudgetExceeded.INSTANCE;
    }

    /**
     * Called before a schema change: it may rebuild indexes over a whole collection, work no inline
     * run may do.
     */
    public void checkSchemaWrite() {
        if (maxSteps != Long.MAX_VALUE) throw InlineBudgetExceeded.INSTANCE;
    }
    public long readOps() { return readOps; }
    public long writeOps() { return writeOps; }
    public long computeOps() { return Math.max(1, computeSteps / 50); }
    /** Evaluation steps so far (compute ops are one per 50). */
    public long computeSteps() { return computeSteps; }

    /** Output of {@code log()} and {@code dbg()}, for the response's {@code summary}. */
    public void log(String line, Span span) {
        log.append("info: ").append(line).append('\n');
    }

    public String logOutput() { return log.toString(); }
}
