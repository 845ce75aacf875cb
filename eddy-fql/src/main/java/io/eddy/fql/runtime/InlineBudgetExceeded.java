package io.eddy.fql.runtime;

/**
 * A query being run inline (on a thread that must not be held long, see
 * {@link io.eddy.fql.api.QueryService#tryExecuteInline}) needs more than the inline budget: the attempt
 * is abandoned, with nothing written, and the query runs again from the start on a thread that may
 * block. Control flow, never seen by a client; one shared instance without a stack trace.
 */
public final class InlineBudgetExceeded extends RuntimeException {
    public static final InlineBudgetExceeded INSTANCE = new InlineBudgetExceeded();

    private InlineBudgetExceeded() {
        super("over the inline budget", null, false, false);
    }
}
