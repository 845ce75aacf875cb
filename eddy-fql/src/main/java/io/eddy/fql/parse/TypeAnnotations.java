package io.eddy.fql.parse;

import io.eddy.fql.ast.Span;

/**
 * Skips a type annotation, as in {@code let x: Set<Product> = ...}. Eddy does not check types, so the
 * annotation is parsed only to find where it ends and to reject malformed ones. Grammar:
 *
 * <pre>
 * type   := member ('|' member)*
 * member := atom ('?' | '[' ']')*
 * atom   := IDENT ('&lt;' type (',' type)* '&gt;')?
 *         | STRING | INT | FLOAT | 'true' | 'false' | 'null'          literal types
 *         | '{' (key '?'? ':' type),* '}'                             object types
 *         | '[' type,* ']'                                            tuples
 *         | '(' type,* ')' ('=&gt;' type)?                            grouping, function types
 * </pre>
 */
final class TypeAnnotations {
    private final TokenCursor cursor;
    private final NestingGuard guard;

    TypeAnnotations(TokenCursor cursor, NestingGuard guard) {
        this.cursor = cursor;
        this.guard = guard;
    }

    void skipType() {
        guard.enter();
        skipMember();
        while (cursor.match(TokenType.PIPE)) skipMember();
        guard.exit();
    }

    private void skipMember() {
        skipAtom();
        while (true) {
            if (cursor.match(TokenType.QUESTION)) continue;
            if (cursor.at(TokenType.LBRACKET) && cursor.peekAt(1).is(TokenType.RBRACKET)) {
                cursor.advance();
                cursor.advance();
                continue;
            }
            return;
        }
    }

    private void skipAtom() {
        Token t = cursor.peek();
        switch (t.type()) {
            case IDENT -> {
                cursor.advance();
                if (cursor.match(TokenType.LT)) {
                    skipList(TokenType.GT);
                }
            }
            case STRING, INT, FLOAT, TRUE, FALSE, NULL -> cursor.advance();
            case LBRACE -> skipObjectType();
            case LBRACKET -> {
                cursor.advance();
                skipList(TokenType.RBRACKET);
            }
            case LPAREN -> {
                cursor.advance();
                skipList(TokenType.RPAREN);
                if (cursor.match(TokenType.ARROW)) skipType();
            }
            default -> throw cursor.expected("a type");
        }
    }

    /** {@code type, type, ... close}, the opening token already consumed; a trailing comma is allowed. */
    private void skipList(TokenType close) {
        while (!atClose(close)) {
            skipType();
            if (!cursor.match(TokenType.COMMA)) break;
        }
        if (close == TokenType.GT) splitGreaterEquals();
        cursor.expect(close);
    }

    private boolean atClose(TokenType close) {
        if (close == TokenType.GT) splitGreaterEquals();
        return cursor.at(close);
    }

    /** In {@code let x: Array<Int>= [1]} the lexer saw {@code >=}; here it means {@code >} then {@code =}. */
    private void splitGreaterEquals() {
        Token t = cursor.peek();
        if (!t.is(TokenType.GE)) return;
        int s = t.span().start();
        cursor.replaceCurrent(
                new Token(TokenType.GT, new Span(s, s + 1), ">", null, t.newlineBefore()),
                new Token(TokenType.ASSIGN, new Span(s + 1, s + 2), "=", null, false));
    }

    private void skipObjectType() {
        cursor.expect(TokenType.LBRACE);
        while (!cursor.at(TokenType.RBRACE)) {
            Token key = cursor.peek();
            if (!key.isName() && !key.is(TokenType.STRING)) throw cursor.expected("a field name");
            cursor.advance();
            cursor.match(TokenType.QUESTION);
            cursor.expect(TokenType.COLON);
            skipType();
            if (!cursor.match(TokenType.COMMA)) break;
        }
        cursor.expect(TokenType.RBRACE);
    }
}
