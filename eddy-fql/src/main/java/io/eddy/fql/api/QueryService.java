package io.eddy.fql.api;

/**
 * Runs queries: the boundary between the wire protocol and the FQL engine. Implementations are
 * thread-safe and block the calling thread for the query's duration (callers use virtual threads).
 * They never throw for a user's mistake: every such problem is a {@link QueryOutcome.Failure}.
 */
public interface QueryService {
    QueryOutcome execute(QueryRequest request);

    /** The keys of the database this service runs queries against (none by default). */
    default KeyAuthority keys() {
        return KeyAuthority.NONE;
    }
}
