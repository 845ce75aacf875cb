package io.eddy.fql.parse;

import io.eddy.core.value.BoolValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.NumberValue;
import io.eddy.core.value.StringValue;
import io.eddy.fql.api.TemplateNode;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Expr.ArrayLit;
import io.eddy.fql.ast.Expr.Binary;
import io.eddy.fql.ast.Expr.Block;
import io.eddy.fql.ast.Expr.Call;
import io.eddy.fql.ast.Expr.Field;
import io.eddy.fql.ast.Expr.If;
import io.eddy.fql.ast.Expr.Index;
import io.eddy.fql.ast.Expr.Interpolated;
import io.eddy.fql.ast.Expr.Lambda;
import io.eddy.fql.ast.Expr.Let;
import io.eddy.fql.ast.Expr.Literal;
import io.eddy.fql.ast.Expr.NonNull;
import io.eddy.fql.ast.Expr.ObjectLit;
import io.eddy.fql.ast.Expr.Projection;
import io.eddy.fql.ast.Expr.Projection.ProjField;
import io.eddy.fql.ast.Expr.Unary;
import io.eddy.fql.ast.Expr.Var;
import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;

/**
 * Parses FQL v10 queries into {@link Expr} trees: recursive descent for statements and primaries,
 * precedence climbing for binary operators. The first error is thrown as an {@link FqlSyntaxException}.
 *
 * <h2>Grammar</h2>
 * <pre>
 * query       := statements EOF
 * statements  := statement ((';' | NEWLINE) statement)*         -- the last one may not be a let
 * statement   := 'let' IDENT (':' type)? '=' expr | expr
 * expr        := binary
 * binary      := unary (BINOP unary)*                           -- see the table below
 * unary       := ('!' | '-') unary | postfix
 * postfix     := primary ( '.' name | '?.' name | '?.' '[' expr ']' | '?.' args
 *                        | '[' expr ']' | args | '!' | projection )*
 * primary     := number | string | interpolated | 'true' | 'false' | 'null' | IDENT
 *              | lambda | '(' expr ')' | array | object | block | if | '.' name
 * lambda      := IDENT '=&gt;' expr | '(' (IDENT ','?)* ')' '=&gt;' expr
 * if          := 'if' '(' expr ')' expr ('else' expr)?
 * array       := '[' (expr ','?)* ']'
 * object      := '{' ((name | string) ':' expr ','?)* '}'
 * block       := '{' statements '}'
 * projection  := '{' (name | name ':' expr | name projection),* '}'
 * args        := '(' (expr ','?)* ')'
 * </pre>
 * {@code name} is an identifier or a keyword; {@code type} is described in {@link TypeAnnotations}
 * and ignored. Trailing commas are allowed everywhere.
 *
 * <h2>Operator precedence, loosest first</h2>
 * <table class="striped">
 * <caption>Binding power, loosest first</caption>
 *   <tr><td>1</td><td>{@code ??}</td></tr>
 *   <tr><td>2</td><td>{@code ||}</td></tr>
 *   <tr><td>3</td><td>{@code &&}</td></tr>
 *   <tr><td>4</td><td>{@code ==  !=}</td></tr>
 *   <tr><td>5</td><td>{@code <  <=  >  >=  isa}</td></tr>
 *   <tr><td>6</td><td>{@code +  -}</td></tr>
 *   <tr><td>7</td><td>{@code *  /  %}</td></tr>
 *   <tr><td>8</td><td>prefix {@code !  -}</td></tr>
 *   <tr><td>9</td><td>postfix: call, {@code .f}, {@code ?.f}, {@code [i]}, {@code !}, projection</td></tr>
 * </table>
 * All binary operators are left-associative. {@code -} directly before a number literal is folded
 * into it, so {@code -2147483648} is an Int.
 *
 * <h2>Newlines</h2>
 * Statements are separated by {@code ;} or a line break. A line starting with a token that can also
 * start an expression begins a new statement: {@code (}, {@code [}, <code>&#123;</code>, {@code !} and
 * {@code -} extend the previous expression (as call, index, projection, non-null assertion or
 * subtraction) only on the same line. Any other operator at the start of a line continues the
 * previous expression, and so does {@code .} or {@code ?.} (method chaining), even though a leading
 * {@code .} elsewhere starts a shorthand function. So <code>&#123;</code> after a complete expression on the
 * same line is a projection, and on the next line an object literal or block. Inside parentheses,
 * brackets and braces other than a block's, line breaks never end anything.
 *
 * <h2>Blocks and objects</h2>
 * A <code>&#123;</code> in expression position opens an object literal if it is {@code {}} or starts with
 * {@code name :} or {@code "string" :}; otherwise it opens a block.
 *
 * <h2>Shorthand functions</h2>
 * A {@code .f} in operand position refers to the parameter of the innermost shorthand function:
 * {@code .price < 10} is {@code Lambda([IMPLICIT], Field(Var(IMPLICIT), "price") < 10)}. A call
 * argument starting with {@code .} is a shorthand function of its own, extending over the whole
 * argument; nested arguments starting with {@code .} are functions of their own too. Outside any
 * shorthand, the innermost call argument or top-level statement containing a {@code .f} becomes one,
 * so {@code where(!.deleted)} and {@code where(10 < .price)} work. Inside a projection, {@code .f} is
 * a field of the projected value and no function is created.
 *
 * <h2>Limits</h2>
 * Nesting deeper than {@link #MAX_NESTING} and trees taller than {@link #MAX_AST_HEIGHT} fail with
 * "Query is nested too deeply", so neither the parser nor a recursive evaluator overflows its stack.
 */
public final class Parser {
    /** How deeply brackets, blocks, prefix operators and the like may nest. */
    public static final int MAX_NESTING = 500;
    /** The tallest AST a query may produce, counting long operator and method chains. */
    public static final int MAX_AST_HEIGHT = 1000;

    private final TokenCursor cursor;
    private final NestingGuard guard;
    private final TypeAnnotations types;
    /** The innermost shorthand function or projection being parsed; {@code .f} refers to its value. */
    private ShorthandScope scope;
    /** False inside brackets and parentheses, where a line break cannot end a statement. */
    private boolean lineBreaksEndStatements = true;

    private Parser(List<Token> tokens, SourceText source) {
        this.cursor = new TokenCursor(tokens, source);
        this.guard = new NestingGuard(cursor, MAX_NESTING);
        this.types = new TypeAnnotations(cursor, guard);
    }

    /** Parses a plain query text. */
    public static ParsedQuery parse(String source) {
        return parse(new SourceText(source), Collections.emptyNavigableMap());
    }

    /** Parses a driver template; the returned source holds the flattened text diagnostics point into. */
    public static ParsedQuery parse(TemplateNode.Fql template) {
        TemplateFlattener.Flattened flat = TemplateFlattener.flatten(template);
        return parse(flat.source(), flat.slots());
    }

    /** Parses a plain query text and returns just its tree. */
    public static Expr parseExpression(String source) {
        return parse(source).expr();
    }

    static ParsedQuery parse(SourceText source, NavigableMap<Integer, ValueSlot> slots) {
        Expr expr = new Parser(Lexer.tokenize(source, slots), source).parseQuery();
        ExprTree.checkHeight(expr, MAX_AST_HEIGHT, source);
        return new ParsedQuery(expr, source);
    }

    // ---- statements -----------------------------------------------------------------------------

    private Expr parseQuery() {
        List<Expr> statements = parseStatements(TokenType.EOF);
        cursor.expect(TokenType.EOF);
        if (statements.size() == 1) return statements.get(0);
        return new Block(statements, statements.get(0).span().to(statements.get(statements.size() - 1).span()));
    }

    private List<Expr> parseStatements(TokenType close) {
        boolean outerLineBreaks = lineBreaksEndStatements;
        lineBreaksEndStatements = true;
        List<Expr> statements = new ArrayList<>();
        while (true) {
            while (cursor.match(TokenType.SEMICOLON)) {
                // empty statements are harmless
            }
            if (cursor.at(close) || cursor.at(TokenType.EOF)) break;
            statements.add(parseStatement());
            if (cursor.at(close) || cursor.at(TokenType.EOF)) break;
            if (cursor.match(TokenType.SEMICOLON) || cursor.peek().newlineBefore()) continue;
            throw cursor.expected("end of statement");
        }
        if (statements.isEmpty()) {
            Token t = cursor.peek();
            throw t.is(TokenType.EOF)
                    ? cursor.error("Unexpected end of query", t.span())
                    : cursor.expected("an expression");
        }
        if (statements.get(statements.size() - 1) instanceof Let let) {
            throw cursor.error("Expected expression after let", let.span());
        }
        lineBreaksEndStatements = outerLineBreaks;
        return statements;
    }

    private Expr parseStatement() {
        return cursor.at(TokenType.LET) ? parseLet() : parseScoped();
    }

    private Expr parseLet() {
        Token let = cursor.advance();
        if (!cursor.at(TokenType.IDENT)) throw cursor.expected("a variable name");
        Token name = cursor.advance();
        if (cursor.match(TokenType.COLON)) types.skipType();
        cursor.expect(TokenType.ASSIGN);
        Expr value = parseScoped();
        return new Let(name.text(), value, let.span().to(value.span()));
    }

    // ---- shorthand scopes -----------------------------------------------------------------------

    /**
     * Where a {@code .f} in operand position belongs. A committed scope is a shorthand function
     * started by a leading {@code .}, or a projection; a tentative one (statement, let value, call
     * argument) becomes a shorthand function only if a {@code .f} turns up in it.
     */
    private static final class ShorthandScope {
        final boolean committed;
        boolean used;

        ShorthandScope(boolean committed) {
            this.committed = committed;
        }
    }

    /**
     * A call argument. One starting with {@code .} is a shorthand function of its own; any other
     * shares an enclosing shorthand, or else is tentatively one itself, so that in
     * {@code where(!.deleted)} the argument, not the whole statement, is the function.
     */
    private Expr parseArgument() {
        if (cursor.at(TokenType.DOT)) return parseShorthand();
        if (scope != null && scope.committed) return parseExpression();
        return parseTentative();
    }

    /** A statement or let value: shares any enclosing scope; at top level it is like an argument. */
    private Expr parseScoped() {
        return scope != null ? parseExpression() : parseArgument();
    }

    private Expr parseTentative() {
        ShorthandScope outer = scope;
        ShorthandScope own = new ShorthandScope(false);
        scope = own;
        Expr e = parseExpression();
        scope = outer;
        return own.used ? new Lambda(List.of(Expr.IMPLICIT), e, e.span()) : e;
    }

    private Expr parseShorthand() {
        ShorthandScope outer = scope;
        scope = new ShorthandScope(true);
        Expr body = parseExpression();
        scope = outer;
        return new Lambda(List.of(Expr.IMPLICIT), body, body.span());
    }

    /** A projection field value: {@code .f} is a field of the projected value, with no function around it. */
    private Expr parseProjectionValue() {
        ShorthandScope outer = scope;
        scope = new ShorthandScope(true);
        Expr value = parseExpression();
        scope = outer;
        return value;
    }

    // ---- operators ------------------------------------------------------------------------------

    private Expr parseExpression() {
        guard.enter();
        Expr e = parseBinary(1);
        guard.exit();
        return e;
    }

    /** Binding power of a binary operator token, or 0 if it is not one. Higher binds tighter. */
    private static int precedence(TokenType type) {
        return switch (type) {
            case QQ -> 1;
            case OR -> 2;
            case AND -> 3;
            case EQ, NE -> 4;
            case LT, LE, GT, GE, ISA -> 5;
            case PLUS, MINUS -> 6;
            case STAR, SLASH, PERCENT -> 7;
            default -> 0;
        };
    }

    private Expr parseBinary(int minPrecedence) {
        Expr left = parseUnary();
        while (true) {
            Token op = cursor.peek();
            int precedence = precedence(op.type());
            if (precedence == 0 || precedence < minPrecedence) return left;
            // "-" can also start an expression, so at the start of a line it starts a new statement.
            if (op.is(TokenType.MINUS) && startsNewStatement(op)) return left;
            cursor.advance();
            // Operands bind tighter than the operator itself: that makes every operator left-associative.
            Expr right = parseBinary(precedence + 1);
            left = new Binary(op.text(), left, right, left.span().to(right.span()));
        }
    }

    private Expr parseUnary() {
        Token op = cursor.peek();
        if (!op.is(TokenType.BANG) && !op.is(TokenType.MINUS)) return parsePostfix(parsePrimary());
        guard.enter();
        cursor.advance();
        Expr result;
        Token next = cursor.peekAt(0);
        if (op.is(TokenType.MINUS) && (next.is(TokenType.INT) || next.is(TokenType.FLOAT))
                && !continuesPostfix(cursor.peekAt(1))) {
            result = numberLiteral(cursor.advance(), op);
        } else {
            Expr operand = parseUnary();
            result = new Unary(op.text(), operand, op.span().to(operand.span()));
        }
        guard.exit();
        return result;
    }

    /** Whether {@code t} extends the expression before it as a postfix operation (see "Newlines"). */
    private boolean continuesPostfix(Token t) {
        return switch (t.type()) {
            case DOT, QDOT -> true;
            case LPAREN, LBRACKET, LBRACE, BANG -> !startsNewStatement(t);
            default -> false;
        };
    }

    /** Whether {@code t}, which could start an expression, starts a new statement (see "Newlines"). */
    private boolean startsNewStatement(Token t) {
        return t.newlineBefore() && lineBreaksEndStatements;
    }

    private Expr parsePostfix(Expr e) {
        while (continuesPostfix(cursor.peek())) {
            Token t = cursor.advance();
            e = switch (t.type()) {
                case DOT -> fieldAccess(e, false);
                case QDOT -> {
                    if (cursor.match(TokenType.LBRACKET)) yield indexAccess(e, true);
                    if (cursor.match(TokenType.LPAREN)) yield call(e, true);
                    yield fieldAccess(e, true);
                }
                case LBRACKET -> indexAccess(e, false);
                case LPAREN -> call(e, false);
                case BANG -> new NonNull(e, e.span().to(t.span()));
                case LBRACE -> projection(e);
                default -> throw new IllegalStateException("not a postfix token: " + t);
            };
        }
        return e;
    }

    private Expr fieldAccess(Expr target, boolean optional) {
        Token name = fieldName();
        return new Field(target, name.text(), optional, name.span(), target.span().to(name.span()));
    }

    private Token fieldName() {
        if (!cursor.peek().isName()) throw cursor.expected("a field name");
        return cursor.advance();
    }

    /** After {@code [}. */
    private Expr indexAccess(Expr target, boolean optional) {
        boolean outerLineBreaks = lineBreaksEndStatements;
        lineBreaksEndStatements = false;
        Expr index = parseExpression();
        lineBreaksEndStatements = outerLineBreaks;
        Token close = cursor.expect(TokenType.RBRACKET);
        return new Index(target, index, optional, target.span().to(close.span()));
    }

    /** After {@code (}. */
    private Expr call(Expr callee, boolean optional) {
        List<Expr> args = new ArrayList<>();
        Token close = commaSeparated(TokenType.RPAREN, () -> args.add(parseArgument()));
        return new Call(callee, List.copyOf(args), optional, callee.span().to(close.span()));
    }

    /**
     * Parses {@code element (',' element)* ','? close}, the opening token already consumed, and
     * returns the closing token.
     */
    private Token commaSeparated(TokenType close, Runnable element) {
        boolean outerLineBreaks = lineBreaksEndStatements;
        lineBreaksEndStatements = false;
        while (!cursor.at(close)) {
            element.run();
            if (!cursor.match(TokenType.COMMA)) {
                if (!cursor.at(close)) throw cursor.expected("`,` or " + close.display());
                break;
            }
        }
        lineBreaksEndStatements = outerLineBreaks;
        return cursor.advance();
    }

    // ---- projection -----------------------------------------------------------------------------

    private Expr projection(Expr target) {
        guard.enter();
        List<ProjField> fields = new ArrayList<>();
        Token close = commaSeparated(TokenType.RBRACE, () -> fields.add(projectionField()));
        guard.exit();
        return new Projection(target, List.copyOf(fields), target.span().to(close.span()));
    }

    /** {@code name}, {@code name: expr} or {@code name { nested }}. */
    private ProjField projectionField() {
        Token key = cursor.peek();
        if (!key.isName() && !key.is(TokenType.STRING)) throw cursor.expected("a field name");
        cursor.advance();
        if (cursor.match(TokenType.COLON)) return new ProjField(key.text(), parseProjectionValue());
        Expr field = new Field(new Var(Expr.IMPLICIT, key.span()), key.text(), false, key.span(), key.span());
        if (cursor.match(TokenType.LBRACE)) return new ProjField(key.text(), projection(field));
        return new ProjField(key.text(), field);
    }

    // ---- primaries ------------------------------------------------------------------------------

    private Expr parsePrimary() {
        Token t = cursor.peek();
        return switch (t.type()) {
            case INT, FLOAT -> numberLiteral(cursor.advance(), null);
            case STRING -> new Literal(new StringValue(cursor.advance().text()), t.span());
            case STRING_HEAD -> interpolated();
            case VALUE -> new Literal(cursor.advance().value(), t.span());
            case TRUE, FALSE -> new Literal(BoolValue.of(cursor.advance().is(TokenType.TRUE)), t.span());
            case NULL -> new Literal(NullValue.NULL, cursor.advance().span());
            case IDENT -> cursor.peekAt(1).is(TokenType.ARROW) ? lambda() : new Var(cursor.advance().text(), t.span());
            case LPAREN -> lambdaAhead() ? lambda() : parenthesized();
            case LBRACKET -> array();
            case LBRACE -> objectAhead() ? object() : block();
            case IF -> ifExpression();
            case DOT -> implicitField();
            case LET -> throw cursor.error(
                    "A `let` is only allowed as a statement, not inside an expression", t.span());
            case AT -> throw cursor.error("`at` expressions are not supported", t.span());
            case EOF -> throw cursor.error("Unexpected end of query", t.span());
            case STRING_MID, STRING_TAIL -> throw cursor.error("Expected an expression but found `}`",
                    new Span(t.span().start(), t.span().start() + 1));
            default -> throw cursor.expected("an expression");
        };
    }

    /** {@code minus} is the folded prefix {@code -}, or null. */
    private Expr numberLiteral(Token number, Token minus) {
        boolean negative = minus != null;
        NumberValue value = number.is(TokenType.INT)
                ? NumberLiterals.integer(number.text(), negative)
                : NumberLiterals.decimal(number.text(), negative);
        if (value == null) throw cursor.error("Invalid number literal `" + number.text() + "`", number.span());
        return new Literal(value, negative ? minus.span().to(number.span()) : number.span());
    }

    private Expr interpolated() {
        Token head = cursor.advance();
        boolean outerLineBreaks = lineBreaksEndStatements;
        lineBreaksEndStatements = false;
        List<Expr> parts = new ArrayList<>();
        addStringPart(parts, head, head.span().start() + 1, head.span().end() - 2);
        while (true) {
            parts.add(parseExpression());
            Token t = cursor.peek();
            if (t.is(TokenType.STRING_MID)) {
                cursor.advance();
                addStringPart(parts, t, t.span().start() + 1, t.span().end() - 2);
            } else if (t.is(TokenType.STRING_TAIL)) {
                cursor.advance();
                addStringPart(parts, t, t.span().start() + 1, t.span().end() - 1);
                lineBreaksEndStatements = outerLineBreaks;
                return new Interpolated(List.copyOf(parts), head.span().to(t.span()));
            } else {
                throw cursor.expected("`}`");
            }
        }
    }

    /** Adds a string token's decoded text, spanning its raw text {@code [start, end)}, unless empty. */
    private static void addStringPart(List<Expr> parts, Token t, int start, int end) {
        if (!t.text().isEmpty()) parts.add(new Literal(new StringValue(t.text()), new Span(start, end)));
    }

    /** At {@code (}: is this {@code (a, b) =>}? Only names and commas may precede {@code ) =>}. */
    private boolean lambdaAhead() {
        int k = 1;
        while (true) {
            Token t = cursor.peekAt(k);
            if (t.is(TokenType.RPAREN)) return cursor.peekAt(k + 1).is(TokenType.ARROW);
            if (!t.is(TokenType.IDENT)) return false;
            Token separator = cursor.peekAt(++k);
            if (separator.is(TokenType.COMMA)) k++;
            else if (!separator.is(TokenType.RPAREN)) return false;
        }
    }

    private Expr lambda() {
        Token start = cursor.peek();
        List<String> params = new ArrayList<>();
        if (start.is(TokenType.IDENT)) {
            params.add(cursor.advance().text());
        } else {
            cursor.expect(TokenType.LPAREN);
            commaSeparated(TokenType.RPAREN, () -> {
                if (!cursor.at(TokenType.IDENT)) throw cursor.expected("a parameter name");
                params.add(cursor.advance().text());
            });
        }
        cursor.expect(TokenType.ARROW);
        Expr body = parseExpression();
        return new Lambda(List.copyOf(params), body, start.span().to(body.span()));
    }

    private Expr parenthesized() {
        cursor.expect(TokenType.LPAREN);
        boolean outerLineBreaks = lineBreaksEndStatements;
        lineBreaksEndStatements = false;
        Expr inner = parseExpression();
        lineBreaksEndStatements = outerLineBreaks;
        cursor.expect(TokenType.RPAREN);
        return inner;
    }

    private Expr array() {
        Token open = cursor.expect(TokenType.LBRACKET);
        List<Expr> elements = new ArrayList<>();
        Token close = commaSeparated(TokenType.RBRACKET, () -> elements.add(parseExpression()));
        return new ArrayLit(List.copyOf(elements), open.span().to(close.span()));
    }

    /** At <code>&#123;</code>: an object literal is {@code {}} or starts with {@code name :} / {@code "string" :}. */
    private boolean objectAhead() {
        Token first = cursor.peekAt(1);
        if (first.is(TokenType.RBRACE)) return true;
        return (first.isName() || first.is(TokenType.STRING)) && cursor.peekAt(2).is(TokenType.COLON);
    }

    private Expr object() {
        Token open = cursor.expect(TokenType.LBRACE);
        List<ObjectLit.Entry> entries = new ArrayList<>();
        Token close = commaSeparated(TokenType.RBRACE, () -> {
            Token key = cursor.peek();
            if (!key.isName() && !key.is(TokenType.STRING)) throw cursor.expected("a field name");
            cursor.advance();
            cursor.expect(TokenType.COLON);
            entries.add(new ObjectLit.Entry(key.text(), parseExpression()));
        });
        return new ObjectLit(List.copyOf(entries), open.span().to(close.span()));
    }

    private Expr block() {
        Token open = cursor.expect(TokenType.LBRACE);
        guard.enter();
        List<Expr> statements = parseStatements(TokenType.RBRACE);
        guard.exit();
        Token close = cursor.expect(TokenType.RBRACE);
        return new Block(List.copyOf(statements), open.span().to(close.span()));
    }

    private Expr ifExpression() {
        Token start = cursor.expect(TokenType.IF);
        cursor.expect(TokenType.LPAREN);
        boolean outerLineBreaks = lineBreaksEndStatements;
        lineBreaksEndStatements = false;
        Expr cond = parseExpression();
        lineBreaksEndStatements = outerLineBreaks;
        cursor.expect(TokenType.RPAREN);
        Expr then = parseExpression();
        Expr otherwise = cursor.match(TokenType.ELSE) ? parseExpression() : null;
        return new If(cond, then, otherwise, start.span().to((otherwise != null ? otherwise : then).span()));
    }

    /** {@code .name} in operand position: a field of the innermost shorthand's (or projection's) value. */
    private Expr implicitField() {
        Token dot = cursor.advance();
        // Every expression is parsed inside some statement's scope, so there always is one.
        scope.used = true;
        Token name = fieldName();
        Var implicit = new Var(Expr.IMPLICIT, dot.span());
        return new Field(implicit, name.text(), false, name.span(), dot.span().to(name.span()));
    }
}
