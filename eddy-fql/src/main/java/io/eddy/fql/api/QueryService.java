package io.eddy.fql.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Runs queries: the boundary between the wire protocol and the FQL engine. Implementations are
 * thread-safe; {@link #execute} blocks the calling thread for the query's duration (callers use
 * virtual threads), {@link #executeAsync} only until the query's commit is under way.
 * They never throw for a user's mistake: every such problem is a {@link QueryOutcome.Failure}.
 */
public interface QueryService {
    QueryOutcome execute(QueryRequest request);

    /**
     * Like {@link #execute}, but without a thread waiting while the query's commit is made durable: the
     * calling thread runs the query up to its commit, and the returned stage completes after it, on
     * {@code light} when the outcome is small (cheap to render there) and on {@code heavy} otherwise;
     * never on the thread that commits. A query that does not commit returns a completed stage. The
     * stage never completes exceptionally for a user's mistake.
     *
     * @param light runs short tasks and must not block on them (the connection's event loop)
     * @param heavy may block (virtual threads); also runs the query again after a transaction conflict
     */
    default CompletionStage<QueryOutcome> executeAsync(QueryRequest request, Executor light, Executor heavy) {
        return CompletableFuture.completedFuture(execute(request));
    }

    /**
     * Like {@link #executeAsync}, on a thread that must not be held long (an event loop): runs the query
     * only if it fits a small budget of work, and returns null, having done nothing visible, when it
     * needs more; the caller then runs it with {@link #executeAsync} on a thread that may block.
     */
    default CompletionStage<QueryOutcome> tryExecuteInline(QueryRequest request, Executor light, Executor heavy) {
        return null;
    }

    /** The keys of the database this service runs queries against (none by default). */
    default KeyAuthority keys() {
        return KeyAuthority.NONE;
    }
}
