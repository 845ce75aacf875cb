package io.eddy.fql.parse;

import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;
import java.util.Objects;

/**
 * A query that does not lex or parse. Carries the offending {@link Span} and the {@link SourceText} it
 * points into (for a template, the flattened text with value placeholders), so callers can render the
 * Fauna-style summary with {@link #summary()}.
 */
public final class FqlSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Span span;
    private final transient SourceText source;

    public FqlSyntaxException(String message, Span span, SourceText source) {
        super(message);
        this.span = Objects.requireNonNull(span, "span");
        this.source = Objects.requireNonNull(source, "source");
    }

    public Span span() {
        return span;
    }

    public SourceText source() {
        return source;
    }

    /** The {@code error: ... at *query*:L:C} block, as in Fauna's {@code summary} field. */
    public String summary() {
        return Diagnostics.render(source, span, getMessage());
    }
}
