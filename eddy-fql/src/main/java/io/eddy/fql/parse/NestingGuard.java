package io.eddy.fql.parse;

/**
 * Bounds the parser's recursion so that deeply nested input ({@code ((((...}, {@code [[[[...},
 * {@code !!!!...}) fails with a syntax error instead of a {@link StackOverflowError}. Each nesting
 * construct costs a handful of stack frames, so the limit is far below what a thread stack holds.
 */
final class NestingGuard {
    static final String TOO_DEEP = "Query is nested too deeply";

    private final TokenCursor cursor;
    private final int limit;
    private int depth;

    NestingGuard(TokenCursor cursor, int limit) {
        this.cursor = cursor;
        this.limit = limit;
    }

    void enter() {
        if (++depth > limit) throw cursor.error(TOO_DEEP, cursor.peekAt(0).span());
    }

    void exit() {
        depth--;
    }
}
