package io.eddy.fql.parse;

import io.eddy.core.value.Value;
import io.eddy.fql.ast.Span;

/**
 * One lexical unit of a query.
 *
 * @param type          the kind of token
 * @param span          the source it covers (for string parts, including quotes, <code>#&#123;</code>
 *                      and <code>&#125;</code>)
 * @param text          the source text for most tokens; the decoded content for string tokens; the
 *                      message for {@link TokenType#ERROR}
 * @param value         the interpolated value of a {@link TokenType#VALUE} token, else null
 * @param newlineBefore whether a line break (possibly inside a comment) separates this token from the
 *                      previous one; FQL statements, call parentheses and projections depend on it
 */
public record Token(TokenType type, Span span, String text, Value value, boolean newlineBefore) {

    public boolean is(TokenType t) {
        return type == t;
    }

    /** Identifiers and keywords: the tokens that may name a field after {@code .} or an object key. */
    public boolean isName() {
        return type == TokenType.IDENT || type.isKeyword();
    }

    @Override
    public String toString() {
        return type + (type == TokenType.EOF ? "" : "(" + text + ")") + "@" + span.start() + ".." + span.end()
                + (newlineBefore ? " nl" : "");
    }
}
