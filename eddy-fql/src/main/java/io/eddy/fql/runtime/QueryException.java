package io.eddy.fql.runtime;

import io.eddy.core.value.Value;
import io.eddy.fql.ast.Span;

/**
 * An FQL runtime error: a stable Fauna error code, a message for a person, and where in the query it
 * happened. Aborts the query's transaction. Thrown without a stack trace: it is control flow, not a bug.
 */
public final class QueryException extends RuntimeException {
    private final String code;
    private final transient Span span;
    private final transient Value abortValue;
    private final int httpStatus;

    public QueryException(String code, String message, Span span) {
        this(code, message, span, null, 400);
    }

    public QueryException(String code, String message, Span span, Value abortValue, int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.span = span;
        this.abortValue = abortValue;
        this.httpStatus = httpStatus;
    }

    public String code() { return code; }

    /** Where the error happened; null when it is not tied to a place in the query. */
    public Span span() { return span; }

    /** The value passed to {@code abort()}, for code {@code abort}. */
    public Value abortValue() { return abortValue; }

    public int httpStatus() { return httpStatus; }

    /** The same error, placed at {@code at} if it has no position yet. */
    public QueryException at(Span at) {
        return span != null || at == null ? this : new QueryException(code, getMessage(), at, abortValue, httpStatus);
    }

    public static QueryException invalidArgument(String message, Span span) {
        return new QueryException("invalid_argument", message, span);
    }

    public static QueryException typeMismatch(String message, Span span) {
        return new QueryException("type_mismatch", message, span);
    }
}
