package io.eddy.fql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.StringValue;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParserTest {

    private static String ast(String source) {
        return AstPrinter.printOneLine(Parser.parseExpression(source));
    }

    private static FqlSyntaxException syntaxError(String source) {
        try {
            Expr e = Parser.parseExpression(source);
            throw new AssertionError("parsed, but expected a syntax error: " + AstPrinter.print(e));
        } catch (FqlSyntaxException e) {
            return e;
        }
    }

    static final List<String> SEED_QUERIES = List.of(
            "Product.all().toStream()",
            "Product.where( .type == 'book' && .price < 100_00).toStream()",
            "Product.create({ name: \"Music as History\", type: \"book\", price: 16_89, stock: 20 })",
            "let p = Product.byType('book')\n .where(.name == \"Music as History\" ).first()!\np.update({ stock: p.stock + 10 })",
            "Product.byType('book')\n .where(.name == \"Music as History\" ).first()!\n .update({ price: 110_00 })",
            "Product.byType('electronics').changesOn(.price)",
            "Set.single(Product.byId(\"390896421523423744\")).toStream()",
            "Product.byType('book').where( .price < 100_00).toStream(){name, price}",
            "let products = Product.where( .type == 'book' && .price < 100_00)\n{\n  products: products,\n  streamToken: products.toStream()\n}",
            "Collection.create({ name: \"Product\", indexes: { byType: { terms: [{ field: \".type\" }], values: [{ field: \".name\" }, { field: \".price\", order: \"desc\" }] } } })",
            "Product.byId(\"1\")!.delete()",
            "Set.paginate(\"abc\", 10)",
            "x?.y ?? 0",
            "abort({ a: 1 })",
            "[1,2,3].map(x => x * 2)",
            "\"Hello #{name}!\"");

    @Test
    void seedQueriesParse() {
        for (String query : SEED_QUERIES) {
            assertThat(Parser.parse(query).expr()).as(query).isNotNull();
        }
    }

    @Test
    void aLineStartingWithDotContinuesTheChain() {
        Expr e = Parser.parseExpression(SEED_QUERIES.get(4));
        assertThat(e).isInstanceOf(Expr.Call.class);
        Expr.Field update = (Expr.Field) ((Expr.Call) e).callee();
        assertThat(update.name()).isEqualTo("update");
        assertThat(update.target()).isInstanceOf(Expr.NonNull.class);
    }

    @Test
    void anObjectOnTheNextLineIsAStatementNotAProjection() {
        Expr.Block block = (Expr.Block) Parser.parseExpression(SEED_QUERIES.get(8));
        assertThat(block.statements()).hasSize(2);
        assertThat(block.statements().get(0)).isInstanceOf(Expr.Let.class);
        assertThat(block.statements().get(1)).isInstanceOf(Expr.ObjectLit.class);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "->", value = {
        "1 + 2 * 3 -> (+ (int 1) (* (int 2) (int 3)))",
        "1 * 2 + 3 -> (+ (* (int 1) (int 2)) (int 3))",
        "a ?? b || c -> (?? (var a) (|| (var b) (var c)))",
        "a || b && c -> (|| (var a) (&& (var b) (var c)))",
        "a && b == c -> (&& (var a) (== (var b) (var c)))",
        "a == b < c -> (== (var a) (< (var b) (var c)))",
        "a < b + c -> (< (var a) (+ (var b) (var c)))",
        "a isa B == c -> (== (isa (var a) (var B)) (var c))",
        "a + b % c -> (+ (var a) (% (var b) (var c)))",
        "-a * b -> (* (neg (var a)) (var b))",
        "!a.b -> (not (field (var a) b))",
        "-a! -> (neg (nonnull (var a)))",
        "a - b - c -> (- (- (var a) (var b)) (var c))",
        "a / b / c -> (/ (/ (var a) (var b)) (var c))",
        "a ?? b ?? c -> (?? (?? (var a) (var b)) (var c))",
        "a < b < c -> (< (< (var a) (var b)) (var c))",
    })
    void precedenceAndAssociativity(String source, String expected) {
        assertThat(ast(source)).isEqualTo(expected);
    }

    @Test
    void integerLiteralsUseTheNarrowestType() {
        assertThat(((Expr.Literal) Parser.parseExpression("2147483647")).value()).isEqualTo(new IntValue(Integer.MAX_VALUE));
        assertThat(((Expr.Literal) Parser.parseExpression("2147483648")).value()).isEqualTo(new LongValue(2147483648L));
        assertThat(((Expr.Literal) Parser.parseExpression("-2147483648")).value()).isEqualTo(new IntValue(Integer.MIN_VALUE));
        assertThat(((Expr.Literal) Parser.parseExpression("-9223372036854775808")).value()).isEqualTo(new LongValue(Long.MIN_VALUE));
        assertThat(((Expr.Literal) Parser.parseExpression("0x7FFF_FFFF_FFFF_FFFF")).value()).isEqualTo(new LongValue(Long.MAX_VALUE));
        assertThat(((Expr.Literal) Parser.parseExpression("2.5e-3")).value()).isEqualTo(new DoubleValue(0.0025));
        assertThat(syntaxError("9223372036854775808").getMessage()).isEqualTo("Invalid number literal `9223372036854775808`");
        assertThat(syntaxError("-9223372036854775809").span()).isEqualTo(new Span(1, 20));
    }

    @Test
    void negativeLiteralsFoldOnlyWithoutPostfix() {
        assertThat(ast("-1")).isEqualTo("(int -1)");
        assertThat(ast("-1.abs()")).isEqualTo("(neg (call (field (int 1) abs)))");
        assertThat(ast("-1 + 2")).isEqualTo("(+ (int -1) (int 2))");
        assertThat(Parser.parseExpression("- 1").span()).isEqualTo(new Span(0, 3));
    }

    @Test
    void interpolationKeepsLiteralPartsAsStrings() {
        Expr.Interpolated s = (Expr.Interpolated) Parser.parseExpression("\"a\\t#{x}\"");
        assertThat(s.parts()).hasSize(2);
        assertThat(((Expr.Literal) s.parts().get(0)).value()).isEqualTo(new StringValue("a\t"));
        assertThat(s.parts().get(0).span()).isEqualTo(new Span(1, 4));
        assertThat(s.span()).isEqualTo(new Span(0, 9));
    }

    @Test
    void shorthandScopes() {
        // A leading dot makes the whole argument one function.
        assertThat(ast("f(.a == 1 && .b > 2)"))
                .isEqualTo("(call (var f) (lambda (.) (&& (== (field (var .) a) (int 1)) (> (field (var .) b) (int 2)))))");
        // Any argument containing .f outside a shorthand is one, however it starts.
        assertThat(ast("f(!.a)")).isEqualTo("(call (var f) (lambda (.) (not (field (var .) a))))");
        // Nested arguments starting with a dot are functions of their own...
        assertThat(ast("f(.a.map(.b))"))
                .isEqualTo("(call (var f) (lambda (.) (call (field (field (var .) a) map) (lambda (.) (field (var .) b)))))");
        // ...other nested expressions share the enclosing shorthand's parameter.
        assertThat(ast("f(.a.map(x => x + .b))"))
                .isEqualTo("(call (var f) (lambda (.) (call (field (field (var .) a) map) (lambda (x) (+ (var x) (field (var .) b))))))");
        // In a projection, .f is a field of the projected value: no function.
        assertThat(ast("p { t: .a * 2 }")).isEqualTo("(project (var p) (\"t\" (* (field (var .) a) (int 2))))");
    }

    @Test
    void lambdasVersusParentheses() {
        assertThat(ast("(a)")).isEqualTo("(var a)");
        assertThat(ast("(a) => a")).isEqualTo("(lambda (a) (var a))");
        assertThat(ast("(a, b,) => a")).isEqualTo("(lambda (a b) (var a))");
        assertThat(ast("((a)) + 1")).isEqualTo("(+ (var a) (int 1))");
        assertThat(ast("(a)(b)")).isEqualTo("(call (var a) (var b))");
    }

    @Test
    void projectionNeedsTheSameLine() {
        assertThat(ast("x { a }")).isEqualTo("(project (var x) (\"a\" (field (var .) a)))");
        assertThat(ast("x\n{ a }")).isEqualTo("(block (var x) (block (var a)))");
        assertThat(ast("x\n{ a: 1 }")).isEqualTo("(block (var x) (object (\"a\" (int 1))))");
    }

    @Test
    void letMustNotBeLast() {
        assertThat(syntaxError("let x = 1").getMessage()).isEqualTo("Expected expression after let");
        assertThat(syntaxError("let x = 1;").getMessage()).isEqualTo("Expected expression after let");
        assertThat(syntaxError("{ let x = 1 }").getMessage()).isEqualTo("Expected expression after let");
        assertThat(ast("let x = 1; x")).isEqualTo("(block (let x (int 1)) (var x))");
    }

    @Test
    void singleStatementIsNotWrappedInABlock() {
        assertThat(Parser.parseExpression("1;")).isInstanceOf(Expr.Literal.class);
        assertThat(Parser.parseExpression("{ 1 }")).isInstanceOf(Expr.Block.class);
    }

    @Test
    void errorsCarrySpanAndSource() {
        FqlSyntaxException e = syntaxError("f(1;2)");
        assertThat(e.getMessage()).isEqualTo("Expected `,` or `)` but found `;`");
        assertThat(e.span()).isEqualTo(new Span(3, 4));
        assertThat(e.source().text()).isEqualTo("f(1;2)");
        assertThat(syntaxError("(1;").getMessage()).isEqualTo("Expected `)` but found `;`");
        assertThat(syntaxError("(1").getMessage()).isEqualTo("Expected `)` but found end of query");
    }

    @Test
    void theFirstErrorWinsEvenIfLexical() {
        assertThat(syntaxError("f(,) \"open").getMessage()).isEqualTo("Expected an expression but found `,`");
        assertThat(syntaxError("f( \"open").getMessage()).isEqualTo("Unterminated string literal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(", "[", "{", "{a:", "!", "-", "f(", "\"#{", "x => ", "(x) => ", "if (x) ", "x["})
    void deepNestingFailsCleanly(String opener) {
        String source = opener.repeat(100_000) + "1";
        FqlSyntaxException e = syntaxError(source);
        assertThat(e.getMessage()).isEqualTo("Query is nested too deeply");
    }

    @Test
    void deepProjectionsAndTypesFailCleanly() {
        assertThat(syntaxError("x " + "{ a ".repeat(100_000)).getMessage()).isEqualTo("Query is nested too deeply");
        assertThat(syntaxError("let x: " + "Array<".repeat(100_000)).getMessage()).isEqualTo("Query is nested too deeply");
        assertThat(syntaxError("let x: " + "(".repeat(100_000)).getMessage()).isEqualTo("Query is nested too deeply");
    }

    @Test
    void tallChainsFailCleanly() {
        for (String source : List.of("1" + " + 1".repeat(100_000), "x" + ".a".repeat(100_000), "f" + "()".repeat(100_000),
                "x" + "!".repeat(100_000), "x" + "[0]".repeat(100_000))) {
            assertThat(syntaxError(source).getMessage()).isEqualTo("Query is nested too deeply");
        }
    }

    @Test
    void moderateNestingIsFine() {
        int depth = 200;
        assertThat(Parser.parseExpression("(".repeat(depth) + "1" + ")".repeat(depth))).isInstanceOf(Expr.Literal.class);
        assertThat(Parser.parseExpression("[".repeat(depth) + "]".repeat(depth))).isInstanceOf(Expr.ArrayLit.class);
        assertThat(Parser.parseExpression("1" + " + 1".repeat(900))).isInstanceOf(Expr.Binary.class);
        assertThat(AstPrinter.print(Parser.parseExpression("f(".repeat(depth) + ")".repeat(depth)))).startsWith("(call");
    }
}
