package io.eddy.fql.api;

import io.eddy.core.value.Value;

/** The result of running one query: a success or a failure, each with the response's metadata. */
public sealed interface QueryOutcome {

    long txnTs();

    QueryStats stats();

    String summary();

    /**
     * @param data the result, fully materialized: only core values (sets as {@code SetPageValue}, event
     *     sources as {@code EventSourceValue}, documents with their committed {@code ts})
     * @param staticType the type name when typechecking ran, else null
     */
    record Success(Value data, String staticType, String summary, long txnTs, QueryStats stats, long schemaVersion)
            implements QueryOutcome {}

    /**
     * @param httpStatus 400 for query errors, 409 contended_transaction, 440 time_out, ...
     * @param abort the value passed to {@code abort()}, only for code {@code abort}
     */
    record Failure(int httpStatus, String code, String message, String summary, Value abort, long txnTs,
                   QueryStats stats, long schemaVersion) implements QueryOutcome {}
}
