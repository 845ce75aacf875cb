package io.eddy.fql.parse;

import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;
import java.util.List;

/**
 * A position in a token list, shared by {@link Parser} and {@link TypeAnnotations}. Reaching an
 * {@link TokenType#ERROR} token through {@link #peek()} throws the lexer's error; lookahead through
 * {@link #peekAt(int)} does not, so speculative scans never report errors.
 */
final class TokenCursor {
    private static final int MAX_SHOWN = 24;

    private final List<Token> tokens;
    private final SourceText source;
    private int index;

    TokenCursor(List<Token> tokens, SourceText source) {
        this.tokens = tokens;
        this.source = source;
    }

    SourceText source() {
        return source;
    }

    Token peek() {
        Token t = tokens.get(index);
        if (t.is(TokenType.ERROR)) throw error(t.text(), t.span());
        return t;
    }

    /** The token {@code k} ahead of the current one, without reporting lexical errors. */
    Token peekAt(int k) {
        return tokens.get(Math.min(index + k, tokens.size() - 1));
    }

    boolean at(TokenType type) {
        return peek().is(type);
    }

    Token advance() {
        Token t = peek();
        if (!t.is(TokenType.EOF)) index++;
        return t;
    }

    boolean match(TokenType type) {
        if (!at(type)) return false;
        advance();
        return true;
    }

    Token expect(TokenType type) {
        if (at(type)) return advance();
        throw expected(type.display());
    }

    /** Replaces the current token, e.g. to split {@code >=} into {@code >} and {@code =} in a type. */
    void replaceCurrent(Token first, Token second) {
        tokens.set(index, second);
        tokens.add(index, first);
    }

    /** "Expected {what} but found {current token}". */
    FqlSyntaxException expected(String what) {
        Token found = peek();
        return error("Expected " + what + " but found " + describe(found), found.span());
    }

    FqlSyntaxException error(String message, Span span) {
        return new FqlSyntaxException(message, span, source);
    }

    /** A token as named in messages: its source text in backticks, or "end of query". */
    String describe(Token t) {
        if (t.is(TokenType.EOF)) return TokenType.EOF.display();
        String shown = source.slice(t.span());
        int newline = shown.indexOf('\n');
        if (newline >= 0) shown = shown.substring(0, newline) + "…";
        if (shown.length() > MAX_SHOWN) shown = shown.substring(0, MAX_SHOWN - 1) + "…";
        return "`" + shown + "`";
    }
}
