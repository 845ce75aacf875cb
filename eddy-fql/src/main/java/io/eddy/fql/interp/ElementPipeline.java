package io.eddy.fql.interp;

import io.eddy.core.txn.Transaction;
import io.eddy.core.value.Value;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetValue;
import java.time.Instant;
import java.util.List;

/**
 * Evaluates a streamable set's pipeline ({@code where} and {@code map} steps only) on one element, for
 * event derivation: does the element belong to the set, and what does the set make of it. Writes are
 * refused with {@code invalid_effect}.
 */
public final class ElementPipeline {
    public static final String READ_ONLY = "Writes are disallowed in stream subscriptions.";

    private final Interpreter interp;

    /**
     * @param txn a read-only transaction for any lookups the pipeline makes (e.g. following references)
     * @param deadlineNanos {@link System#nanoTime()} after which evaluation fails with {@code time_out}
     */
    public ElementPipeline(Transaction txn, Cursors cursors, Instant now, long deadlineNanos) {
        this.interp = new Interpreter(new QueryContext(txn, deadlineNanos, READ_ONLY, now, cursors));
    }

    /** Evaluation steps taken so far by every {@link #apply} of this pipeline (for event stats). */
    public long computeSteps() { return interp.ctx().computeSteps(); }

    /** Documents read so far by every {@link #apply} of this pipeline (for event stats). */
    public long readOps() { return interp.ctx().readOps(); }

    /**
     * The element as the set presents it, or null if a {@code where} step rejects it. Values are
     * materialized for the wire (nested sets become pages).
     *
     * @throws QueryException when a step fails (e.g. {@code abort}); the stream reports it as an error event
     */
    public Value apply(SetValue set, Value element) {
        Value v = element;
        for (SetOp op : set.ops()) {
            switch (op) {
                case SetOp.Where w -> {
                    if (!new SetExecutor(interp, new DocumentFunctions(interp)).test(w.predicate(), v, Span.NONE)) return null;
                }
                case SetOp.MapOp m -> v = interp.call(m.fn(), List.of(v), Span.NONE);
                default -> throw new IllegalArgumentException("not a streamable pipeline step: " + op);
            }
        }
        return Materializer.materialize(v, interp);
    }
}
