package io.eddy.fql.parse;

import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Turns query text into {@link Token}s, all at once, so the parser can look ahead freely (it does so to
 * tell {@code (x) => ...} from {@code (x)}).
 *
 * <p>Lexical errors do not throw: the lexer stops with an {@link TokenType#ERROR} token followed by
 * {@link TokenType#EOF}, and the parser reports it when it reaches it. That way the error reported is
 * always the first one in the text, whether it is lexical or syntactic.
 *
 * <p>String interpolation {@code "a #{expr} b"} is lexed as {@code STRING_HEAD("a ")}, the tokens
 * of {@code expr}, then {@code STRING_TAIL(" b")} (or {@code STRING_MID} before a further
 * <code>#&#123;</code>). A stack of brace depths tells which <code>&#125;</code> closes an
 * interpolation. Only double-quoted strings interpolate; in single-quoted ones <code>#&#123;</code>
 * is literal text.
 *
 * <p>For driver templates the text contains placeholders at {@link ValueSlot}s; each becomes one
 * {@link TokenType#VALUE} token and is never lexed as text. No token may run into a placeholder, and a
 * placeholder inside a string literal or comment is an error, so a value can never become source text.
 */
public final class Lexer {
    private static final int NONE = -1;
    private static final Map<String, TokenType> KEYWORDS = Map.of(
            "let", TokenType.LET, "if", TokenType.IF, "else", TokenType.ELSE, "true", TokenType.TRUE,
            "false", TokenType.FALSE, "null", TokenType.NULL, "isa", TokenType.ISA, "at", TokenType.AT);

    private final String text;
    private final NavigableMap<Integer, ValueSlot> slots;
    private final List<Token> tokens = new ArrayList<>();
    /** Open interpolations, innermost first: {brace depth inside it, offset of its string's opening quote}. */
    private final Deque<int[]> interpolations = new ArrayDeque<>();
    private int pos;
    /** End of the text that may be lexed from {@code pos}: the next placeholder or the end of the text. */
    private int limit;
    private boolean newline;
    private int lastTokenEnd;

    private Lexer(SourceText source, NavigableMap<Integer, ValueSlot> slots) {
        this.text = source.text();
        this.slots = slots;
    }

    public static List<Token> tokenize(SourceText source) {
        return tokenize(source, Collections.emptyNavigableMap());
    }

    /** Tokenizes a flattened template; {@code slots} are keyed by their start offset. */
    public static List<Token> tokenize(SourceText source, NavigableMap<Integer, ValueSlot> slots) {
        return new Lexer(source, slots).run();
    }

    private List<Token> run() {
        try {
            while (true) {
                skipTrivia();
                ValueSlot slot = slots.get(pos);
                if (slot != null) {
                    add(TokenType.VALUE, pos, slot.span().end(), text.substring(pos, slot.span().end()), slot);
                    pos = slot.span().end();
                } else if (pos >= text.length()) {
                    if (!interpolations.isEmpty()) {
                        throw new LexFailure("Unterminated string literal", new Span(interpolations.peek()[1], pos));
                    }
                    // EOF sits right after the last token, where a caret for "unexpected end" is useful.
                    tokens.add(new Token(TokenType.EOF, new Span(lastTokenEnd, lastTokenEnd), "", null, newline));
                    return tokens;
                } else {
                    lexToken();
                }
            }
        } catch (LexFailure f) {
            tokens.add(new Token(TokenType.ERROR, f.span, f.getMessage(), null, newline));
            tokens.add(new Token(TokenType.EOF, new Span(f.span.end(), f.span.end()), "", null, false));
            return tokens;
        }
    }

    // ---- trivia ---------------------------------------------------------------------------------

    private void skipTrivia() {
        while (true) {
            updateLimit();
            int c = at(pos);
            if (c == '\n') {
                newline = true;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\uFEFF') {
                pos++;
            } else if (c == '/' && at(pos + 1) == '/') {
                while (at(pos) != NONE && at(pos) != '\n') pos++;
                if (at(pos) == NONE) checkNotInsideSlot(pos, "comment");
            } else if (c == '/' && at(pos + 1) == '*') {
                skipBlockComment();
            } else {
                return;
            }
        }
    }

    /** Block comments nest, so commenting out code that contains a comment works. */
    private void skipBlockComment() {
        int start = pos;
        int depth = 0;
        do {
            int c = at(pos);
            if (c == NONE) {
                checkNotInsideSlot(pos, "comment");
                throw new LexFailure("Unterminated block comment", new Span(start, start + 2));
            }
            if (c == '/' && at(pos + 1) == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && at(pos + 1) == '/') {
                depth--;
                pos += 2;
            } else {
                if (c == '\n') newline = true;
                pos++;
            }
        } while (depth > 0);
    }

    /** Having run out of lexable text at {@code offset}: fail if that is a placeholder rather than the end. */
    private void checkNotInsideSlot(int offset, String where) {
        if (offset < text.length()) {
            ValueSlot slot = slots.get(offset);
            throw new LexFailure("A template value cannot appear inside a " + where, slot.span());
        }
    }

    // ---- tokens ---------------------------------------------------------------------------------

    private void lexToken() {
        int start = pos;
        int c = at(pos);
        if (isIdentStart(c)) {
            lexWord(start);
            return;
        }
        if (isDigit(c)) {
            lexNumber(start);
            return;
        }
        switch (c) {
            case '"', '\'' -> {
                pos++;
                lexStringPart(start, start, (char) c, false);
            }
            case '(' -> single(TokenType.LPAREN);
            case ')' -> single(TokenType.RPAREN);
            case '[' -> single(TokenType.LBRACKET);
            case ']' -> single(TokenType.RBRACKET);
            case ',' -> single(TokenType.COMMA);
            case ':' -> single(TokenType.COLON);
            case ';' -> single(TokenType.SEMICOLON);
            case '+' -> single(TokenType.PLUS);
            case '-' -> single(TokenType.MINUS);
            case '*' -> single(TokenType.STAR);
            case '/' -> single(TokenType.SLASH);
            case '%' -> single(TokenType.PERCENT);
            case '.' -> single(TokenType.DOT);
            case '{' -> {
                if (!interpolations.isEmpty()) interpolations.peek()[0]++;
                single(TokenType.LBRACE);
            }
            case '}' -> {
                int[] open = interpolations.peek();
                if (open != null && open[0] == 0) {
                    // This brace ends an interpolation: resume the string it interrupted.
                    interpolations.pop();
                    pos++;
                    lexStringPart(start, open[1], '"', true);
                } else {
                    if (open != null) open[0]--;
                    single(TokenType.RBRACE);
                }
            }
            case '?' -> {
                if (at(pos + 1) == '?') pair(TokenType.QQ);
                else if (at(pos + 1) == '.') pair(TokenType.QDOT);
                else single(TokenType.QUESTION);
            }
            case '=' -> {
                if (at(pos + 1) == '=') pair(TokenType.EQ);
                else if (at(pos + 1) == '>') pair(TokenType.ARROW);
                else single(TokenType.ASSIGN);
            }
            case '!' -> {
                if (at(pos + 1) == '=') pair(TokenType.NE);
                else single(TokenType.BANG);
            }
            case '<' -> {
                if (at(pos + 1) == '=') pair(TokenType.LE);
                else single(TokenType.LT);
            }
            case '>' -> {
                if (at(pos + 1) == '=') pair(TokenType.GE);
                else single(TokenType.GT);
            }
            case '&' -> {
                if (at(pos + 1) == '&') pair(TokenType.AND);
                else throw unexpectedCharacter(start);
            }
            case '|' -> {
                if (at(pos + 1) == '|') pair(TokenType.OR);
                else single(TokenType.PIPE);
            }
            default -> throw unexpectedCharacter(start);
        }
    }

    private LexFailure unexpectedCharacter(int start) {
        int cp = text.codePointAt(start);
        int end = start + Character.charCount(cp);
        return new LexFailure("Unexpected character `" + text.substring(start, end) + "`", new Span(start, end));
    }

    private void lexWord(int start) {
        while (isIdentPart(at(pos))) pos++;
        String word = text.substring(start, pos);
        add(KEYWORDS.getOrDefault(word, TokenType.IDENT), start, pos, word, null);
    }

    /**
     * Numbers are only checked for shape here; {@link NumberLiterals} converts them, in the parser,
     * so that {@code -9223372036854775808} can be folded into one Long literal.
     */
    private void lexNumber(int start) {
        boolean isFloat = false;
        int radix = 10;
        int next = at(pos + 1);
        if (at(pos) == '0' && "xXoObB".indexOf(next) >= 0) {
            radix = switch (Character.toLowerCase(next)) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            pos += 2;
            int digits = pos;
            while (isIdentPart(at(pos))) pos++;
            if (digits == pos) throw invalidNumber(start);
        } else {
            skipDigits();
            if (at(pos) == '.' && isDigit(at(pos + 1))) {
                isFloat = true;
                pos++;
                skipDigits();
            }
            int e = at(pos);
            if (e == 'e' || e == 'E') {
                int sign = at(pos + 1);
                int exponentStart = (sign == '+' || sign == '-') ? pos + 2 : pos + 1;
                if (isDigit(at(exponentStart))) {
                    isFloat = true;
                    pos = exponentStart;
                    skipDigits();
                }
            }
            // A number glued to letters ("12abc", "1e") is a typo, not two tokens.
            while (isIdentPart(at(pos))) pos++;
        }
        String lexeme = text.substring(start, pos);
        if (!NumberLiterals.isWellFormed(lexeme, radix, isFloat)) throw invalidNumber(start);
        add(isFloat ? TokenType.FLOAT : TokenType.INT, start, pos, lexeme, null);
    }

    private void skipDigits() {
        while (isDigit(at(pos)) || at(pos) == '_') pos++;
    }

    private LexFailure invalidNumber(int start) {
        return new LexFailure("Invalid number literal `" + text.substring(start, pos) + "`", new Span(start, pos));
    }

    /**
     * Lexes string content from {@code pos} up to the closing quote or, in double-quoted strings, to
     * an interpolation <code>#&#123;</code>.
     *
     * @param tokenStart   where this token starts: the opening quote, or the <code>&#125;</code> that
     *                     ends an interpolation
     * @param quoteStart   the string's opening quote, for "unterminated" errors
     * @param continuation whether this part follows an interpolation
     */
    private void lexStringPart(int tokenStart, int quoteStart, char quote, boolean continuation) {
        StringBuilder content = new StringBuilder();
        while (true) {
            int c = at(pos);
            if (c == NONE) {
                checkNotInsideSlot(pos, "string literal");
                throw new LexFailure("Unterminated string literal", new Span(quoteStart, text.length()));
            }
            if (c == quote) {
                pos++;
                add(continuation ? TokenType.STRING_TAIL : TokenType.STRING, tokenStart, pos, content.toString(), null);
                return;
            }
            if (c == '\\') {
                lexEscape(content);
            } else if (quote == '"' && c == '#' && at(pos + 1) == '{') {
                pos += 2;
                TokenType type = continuation ? TokenType.STRING_MID : TokenType.STRING_HEAD;
                add(type, tokenStart, pos, content.toString(), null);
                interpolations.push(new int[] {0, quoteStart});
                return;
            } else {
                content.append((char) c);
                pos++;
            }
        }
    }

    private void lexEscape(StringBuilder out) {
        int start = pos;
        pos++; // the backslash
        int c = at(pos);
        if (c == NONE) return; // the caller reports the unterminated string
        pos++;
        switch (c) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'v' -> out.append('\u000B');
            case '0' -> out.append('\0');
            case '\\', '\'', '"', '`', '#' -> out.append((char) c);
            case 'x' -> out.append((char) hexDigits(start, 2, 2));
            case 'u' -> {
                if (at(pos) == '{') {
                    pos++;
                    int cp = hexDigits(start, 1, 6);
                    if (at(pos) != '}') throw invalidEscape(start);
                    pos++;
                    if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) throw invalidEscape(start);
                    out.appendCodePoint(cp);
                } else {
                    out.append((char) hexDigits(start, 4, 4));
                }
            }
            default -> throw invalidEscape(start);
        }
    }

    private int hexDigits(int escapeStart, int min, int max) {
        int value = 0;
        int count = 0;
        while (count < max && hexValue(at(pos)) >= 0) {
            value = value * 16 + hexValue(at(pos));
            pos++;
            count++;
        }
        if (count < min) throw invalidEscape(escapeStart);
        return value;
    }

    private LexFailure invalidEscape(int start) {
        int end = Math.max(pos, Math.min(start + 2, limit));
        return new LexFailure("Invalid escape sequence `" + text.substring(start, end) + "`", new Span(start, end));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void single(TokenType type) {
        add(type, pos, pos + 1, text.substring(pos, pos + 1), null);
        pos++;
    }

    private void pair(TokenType type) {
        add(type, pos, pos + 2, text.substring(pos, pos + 2), null);
        pos += 2;
    }

    private void add(TokenType type, int start, int end, String tokenText, ValueSlot slot) {
        tokens.add(new Token(type, new Span(start, end), tokenText, slot == null ? null : slot.value(), newline));
        newline = false;
        lastTokenEnd = end;
    }

    private void updateLimit() {
        Integer next = slots.ceilingKey(pos);
        limit = next == null ? text.length() : next;
    }

    /** The character at {@code i}, or {@link #NONE} at the end of the text or at a placeholder. */
    private int at(int i) {
        return i < limit ? text.charAt(i) : NONE;
    }

    private static int hexValue(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(int c) {
        return isIdentStart(c) || isDigit(c);
    }

    /** Unwinds the lexer to {@link #run()} with the first error; cheap, it carries no stack trace. */
    private static final class LexFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Span span;

        LexFailure(String message, Span span) {
            super(message, null, false, false);
            this.span = span;
        }
    }
}
