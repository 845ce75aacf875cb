package io.eddy.fql.parse;

import static io.eddy.fql.parse.TokenType.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.IntValue;
import io.eddy.core.value.StringValue;
import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LexerTest {

    private static List<Token> lex(String source) {
        return Lexer.tokenize(new SourceText(source));
    }

    private static List<TokenType> types(String source) {
        return lex(source).stream().map(Token::type).toList();
    }

    private static Token single(String source) {
        List<Token> tokens = lex(source);
        assertThat(tokens).hasSize(2);
        assertThat(tokens.get(1).type()).isEqualTo(EOF);
        return tokens.get(0);
    }

    @Test
    void operatorsAndPunctuation() {
        assertThat(types("== != < <= > >= && || ! + - * / % ?? ?. ? => . , : ; ( ) [ ] { } = |"))
                .containsExactly(EQ, NE, LT, LE, GT, GE, AND, OR, BANG, PLUS, MINUS, STAR, SLASH, PERCENT, QQ,
                        QDOT, QUESTION, ARROW, DOT, COMMA, COLON, SEMICOLON, LPAREN, RPAREN, LBRACKET, RBRACKET,
                        LBRACE, RBRACE, ASSIGN, PIPE, EOF);
    }

    @Test
    void gluedOperatorsSplitLongestFirst() {
        assertThat(types("a?.[0]?.(1)")).containsExactly(IDENT, QDOT, LBRACKET, INT, RBRACKET, QDOT, LPAREN, INT, RPAREN, EOF);
        assertThat(types("x!==y")).containsExactly(IDENT, NE, ASSIGN, IDENT, EOF);
        assertThat(types("x! ==y")).containsExactly(IDENT, BANG, EQ, IDENT, EOF);
        assertThat(types("a??b")).containsExactly(IDENT, QQ, IDENT, EOF);
    }

    @Test
    void keywordsAreReservedButPrefixesAreNot() {
        assertThat(types("let if else true false null isa at"))
                .containsExactly(LET, IF, ELSE, TRUE, FALSE, NULL, ISA, AT, EOF);
        assertThat(types("letter iffy _ _x x1 At LET")).containsOnly(IDENT, EOF);
    }

    @Test
    void tokensRecordLineBreaksBeforeThem() {
        List<Token> tokens = lex("a b\nc /* \n */ d // x\n e");
        assertThat(tokens).extracting(Token::newlineBefore).containsExactly(false, false, true, true, true, false);
    }

    @Test
    void endOfQuerySitsAfterTheLastToken() {
        List<Token> tokens = lex("f(  \n\n // trailing\n");
        assertThat(tokens.get(tokens.size() - 1).span()).isEqualTo(new Span(2, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "100_00", "16_89", "0x1F", "0XfF_fF", "0b101", "0B1_0", "0o17", "007", "1_000_000"})
    void integerLiterals(String source) {
        assertThat(single(source).type()).isEqualTo(INT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "1e3", "2.5e-3", "1E+10", "1_0.0_1", "0.0"})
    void decimalLiterals(String source) {
        assertThat(single(source).type()).isEqualTo(FLOAT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1_", "1__0", "0x", "0x_1", "0b102", "0o8", "12abc", "1e", "1.5x", "1_.5", "1e_5", "0xG"})
    void malformedNumbers(String source) {
        Token error = lex(source).get(0);
        assertThat(error.type()).isEqualTo(ERROR);
        assertThat(error.text()).isEqualTo("Invalid number literal `" + source + "`");
    }

    @Test
    void aDotAfterAnIntegerWithoutDigitsIsFieldAccess() {
        assertThat(types("1.abs()")).containsExactly(INT, DOT, IDENT, LPAREN, RPAREN, EOF);
        assertThat(types("1.5.abs")).containsExactly(FLOAT, DOT, IDENT, EOF);
    }

    @Test
    void stringEscapesAreDecoded() {
        assertThat(single("'a\\n\\t\\r\\\\\\'\\\"\\0\\#\\`\\b\\f\\v'").text()).isEqualTo("a\n\t\r\\'\"\0#`\b\f\u000B");
        assertThat(single("\"\\u{1F600}\\u0041\\x41\"").text()).isEqualTo("\uD83D\uDE00AA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\q\"", "\"\\u{}\"", "\"\\u{110000}\"", "\"\\u{D800}\"", "\"\\u12\"", "\"\\xZ1\"", "\"\\u{1F600\""})
    void invalidEscapes(String source) {
        assertThat(lex(source).get(0).text()).startsWith("Invalid escape sequence `\\");
    }

    @Test
    void doubleQuotedStringsInterpolate() {
        List<Token> tokens = lex("\"a#{b}c#{ d }e\"");
        assertThat(tokens).extracting(Token::type).containsExactly(STRING_HEAD, IDENT, STRING_MID, IDENT, STRING_TAIL, EOF);
        assertThat(tokens).extracting(Token::text).containsExactly("a", "b", "c", "d", "e", "");
    }

    @Test
    void bracesInsideInterpolationAreCounted() {
        assertThat(types("\"#{ {a: {}} }x\" }"))
                .containsExactly(STRING_HEAD, LBRACE, IDENT, COLON, LBRACE, RBRACE, RBRACE, STRING_TAIL, RBRACE, EOF);
    }

    @Test
    void interpolationsNest() {
        assertThat(types("\"a#{\"b#{c}\"}\"")).containsExactly(STRING_HEAD, STRING_HEAD, IDENT, STRING_TAIL, STRING_TAIL, EOF);
    }

    @Test
    void singleQuotedStringsAndEscapedHashDoNotInterpolate() {
        assertThat(single("'#{x}'").text()).isEqualTo("#{x}");
        assertThat(single("\"\\#{x}\"").text()).isEqualTo("#{x}");
        assertThat(single("\"# {x}\"").type()).isEqualTo(STRING);
    }

    @Test
    void lexicalErrorsEndTheTokenStream() {
        List<Token> tokens = lex("a \"open");
        assertThat(tokens).extracting(Token::type).containsExactly(IDENT, ERROR, EOF);
        assertThat(tokens.get(1).text()).isEqualTo("Unterminated string literal");
        assertThat(tokens.get(1).span()).isEqualTo(new Span(2, 7));

        assertThat(lex("\"#{ x ").get(2).text()).isEqualTo("Unterminated string literal");
        assertThat(lex("/* /* */").get(0).text()).isEqualTo("Unterminated block comment");
        assertThat(lex("a # b").get(1).text()).isEqualTo("Unexpected character `#`");
        assertThat(lex("\uD83D\uDE00").get(0).text()).isEqualTo("Unexpected character `\uD83D\uDE00`");
    }

    @Test
    void templateSlotsBecomeValueTokensAndBoundOtherTokens() {
        // "x" + <1> + "1" : the identifier and the number must stop at the placeholder.
        String text = "x11";
        TreeMap<Integer, ValueSlot> slots = new TreeMap<>();
        slots.put(1, new ValueSlot(new Span(1, 2), new IntValue(7)));
        List<Token> tokens = Lexer.tokenize(new SourceText(text), slots);
        assertThat(tokens).extracting(Token::type).containsExactly(IDENT, VALUE, INT, EOF);
        assertThat(tokens.get(1).value()).isEqualTo(new IntValue(7));
        assertThat(tokens.get(2).text()).isEqualTo("1");
    }

    @Test
    void templateSlotsMayNotSitInStringsOrComments() {
        TreeMap<Integer, ValueSlot> slots = new TreeMap<>();
        slots.put(3, new ValueSlot(new Span(3, 8), new StringValue("abc")));
        String inString = "\"a \"abc\"\"";
        assertThat(Lexer.tokenize(new SourceText(inString), slots).get(0).text())
                .isEqualTo("A template value cannot appear inside a string literal");
        String inComment = "// \"abc\"";
        assertThat(Lexer.tokenize(new SourceText(inComment), slots).get(0).text())
                .isEqualTo("A template value cannot appear inside a comment");
        String inBlockComment = "/* \"abc\" */";
        assertThat(Lexer.tokenize(new SourceText(inBlockComment), slots).get(0).text())
                .isEqualTo("A template value cannot appear inside a comment");
    }
}
