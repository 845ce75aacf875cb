package io.eddy.fql.parse;

/** The kinds of {@link Token} the {@link Lexer} produces. */
public enum TokenType {
    IDENT("identifier"),
    /**
     * An integer literal: decimal, {@code 0x} hex, {@code 0o} octal or {@code 0b} binary, with {@code _}
     * between digits.
     */
    INT("number"),
    /** A decimal literal with a fraction and/or an exponent. */
    FLOAT("number"),
    /** A string literal without interpolation; {@link Token#text()} is the decoded content. */
    STRING("string"),
    /** <code>"text#&#123;</code> of an interpolated string: decoded text before the first interpolation. */
    STRING_HEAD("string"),
    /** <code>&#125;text#&#123;</code> between two interpolations. */
    STRING_MID("string"),
    /** <code>&#125;text"</code> after the last interpolation. */
    STRING_TAIL("string"),
    /** A value interpolated by a driver template; {@link Token#value()} holds it. */
    VALUE("value"),

    LET("`let`"), IF("`if`"), ELSE("`else`"), TRUE("`true`"), FALSE("`false`"), NULL("`null`"),
    ISA("`isa`"), AT("`at`"),

    LPAREN("`(`"), RPAREN("`)`"), LBRACKET("`[`"), RBRACKET("`]`"), LBRACE("`{`"), RBRACE("`}`"),
    COMMA("`,`"), COLON("`:`"), SEMICOLON("`;`"),
    DOT("`.`"),
    /** {@code ?.}, also the start of {@code ?.[} and {@code ?.(}. */
    QDOT("`?.`"),
    QQ("`??`"),
    /** A lone {@code ?}: only meaningful in type annotations ({@code Int?}). */
    QUESTION("`?`"),
    ARROW("`=>`"),
    ASSIGN("`=`"),
    EQ("`==`"), NE("`!=`"), LT("`<`"), LE("`<=`"), GT("`>`"), GE("`>=`"),
    AND("`&&`"), OR("`||`"),
    /** {@code !}: prefix not, or postfix non-null assertion. */
    BANG("`!`"),
    PLUS("`+`"), MINUS("`-`"), STAR("`*`"), SLASH("`/`"), PERCENT("`%`"),
    /** A lone {@code |}: only meaningful in type annotations ({@code Int | String}). */
    PIPE("`|`"),

    EOF("end of query"),
    /** A lexical error; {@link Token#text()} is the message. Always followed by {@link #EOF}. */
    ERROR("error");

    private final String display;

    TokenType(String display) {
        this.display = display;
    }

    /** How the parser names this kind in "Expected ..." messages, e.g. {@code `)`} or {@code identifier}. */
    public String display() {
        return display;
    }

    /** Keywords (reserved words) may still be used as field names after {@code .} and as object keys. */
    public boolean isKeyword() {
        return switch (this) {
            case LET, IF, ELSE, TRUE, FALSE, NULL, ISA, AT -> true;
            default -> false;
        };
    }
}
