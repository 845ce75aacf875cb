package io.eddy.fql.parse;

import io.eddy.fql.ast.SourceText;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files of the lexer: each {@code golden/lexer/<name>.fql} is tokenized and compared with
 * {@code <name>.tokens}, one token a line:
 *
 * <pre>
 * 1:1-1:7 INT "100_00"
 * 2:1-2:5 STRING "a\n" nl
 * </pre>
 *
 * the token's span (line:column of its start and end; the end is exclusive), its type, its text (the
 * source text; a string's decoded content; an error's message) quoted with escapes, and {@code nl} when
 * a line break comes before it. Same mechanism as {@link GoldenParserTest}: {@code -Dgolden.update=true}
 * rewrites the expected files.
 */
class GoldenLexerTest {
    @TestFactory
    Stream<DynamicTest> tokens() {
        return GoldenFiles.tests("lexer", ".tokens", GoldenLexerTest::render);
    }

    static String render(String source) {
        SourceText text = new SourceText(source);
        StringBuilder out = new StringBuilder();
        for (Token t : Lexer.tokenize(text)) {
            if (!out.isEmpty()) out.append('\n');
            int start = t.span().start(), end = t.span().end();
            out.append(text.line(start)).append(':').append(text.column(start)).append('-')
                    .append(text.line(end)).append(':').append(text.column(end)).append(' ')
                    .append(t.type());
            if (t.type() != TokenType.EOF) out.append(' ').append(quote(t.text()));
            if (t.newlineBefore()) out.append(" nl");
        }
        return out.toString();
    }

    /** Quoted, with the characters that would hide in a file (controls, quotes, non-ASCII) escaped. */
    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c >= 0x7f) sb.append(String.format("\\u{%X}", c));
                    else sb.appendCodePoint(c);
                }
            }
        });
        return sb.append('"').toString();
    }
}
