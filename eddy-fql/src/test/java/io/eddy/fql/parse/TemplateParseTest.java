package io.eddy.fql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.TemplateNode;
import io.eddy.fql.api.TemplateNode.ArrayNode;
import io.eddy.fql.api.TemplateNode.Fql;
import io.eddy.fql.api.TemplateNode.ObjectNode;
import io.eddy.fql.api.TemplateNode.Text;
import io.eddy.fql.api.TemplateNode.ValueNode;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateParseTest {

    private static Fql fql(TemplateNode... parts) {
        return new Fql(List.of(parts));
    }

    private static Text text(String s) {
        return new Text(s);
    }

    private static ValueNode value(Value v) {
        return new ValueNode(v);
    }

    @Test
    void aValueBecomesALiteralSpanningItsPlaceholder() {
        ParsedQuery q = Parser.parse(fql(text("Product.byId("), value(new StringValue("123")), text(")")));
        assertThat(q.source().text()).isEqualTo("Product.byId(\"123\")");
        Expr.Literal arg = (Expr.Literal) ((Expr.Call) q.expr()).args().get(0);
        assertThat(arg.value()).isEqualTo(new StringValue("123"));
        assertThat(arg.span()).isEqualTo(new Span(13, 18));
    }

    @Test
    void valuesAreNeverLexedAsSource() {
        StringValue hostile = new StringValue("\") + abort(1) + (\"#{x}");
        ParsedQuery q = Parser.parse(fql(text("f("), value(hostile), text(")")));
        Expr.Literal arg = (Expr.Literal) ((Expr.Call) q.expr()).args().get(0);
        assertThat(arg.value()).isEqualTo(hostile);
        assertThat(q.source().text()).isEqualTo("f(\"\\\") + abort(1) + (\\\"\\#{x}\")");
    }

    @Test
    void placeholdersShowScalarsAsLiterals() {
        Map<Value, String> expected = new LinkedHashMap<>();
        expected.put(NullValue.NULL, "null");
        expected.put(BoolValue.TRUE, "true");
        expected.put(new IntValue(-5), "-5");
        expected.put(new LongValue(5_000_000_000L), "5000000000");
        expected.put(new DoubleValue(1.5), "1.5");
        expected.put(new StringValue("a\nb"), "\"a\\nb\"");
        expected.put(new DateValue(LocalDate.of(2024, 1, 2)), "Date(\"2024-01-02\")");
        expected.put(new TimeValue(Instant.parse("2024-01-02T03:04:05Z")), "Time(\"2024-01-02T03:04:05Z\")");
        expected.put(ArrayValue.of(new IntValue(1)), "<value>");
        expected.put(new ObjectValue(Map.of("a", new IntValue(1))), "<value>");
        expected.forEach((v, placeholder) -> {
            ParsedQuery q = Parser.parse(fql(text("x == "), value(v)));
            assertThat(q.source().text()).isEqualTo("x == " + placeholder);
            assertThat(((Expr.Literal) ((Expr.Binary) q.expr()).right()).value()).isEqualTo(v);
        });
    }

    @Test
    void nestedFqlIsSplicedInline() {
        Fql inner = fql(value(new IntValue(17)), text(" + 3"));
        ParsedQuery q = Parser.parse(fql(text("5 + "), inner));
        assertThat(q.source().text()).isEqualTo("5 + 17 + 3");
        assertThat(AstPrinter.print(q.expr())).isEqualTo("(+ (+ (int 5) (int 17)) (int 3))");
    }

    @Test
    void arraysAndObjectsParenthesiseNestedFql() {
        Map<String, TemplateNode> fields = new LinkedHashMap<>();
        fields.put("k", value(new StringValue("v")));
        fields.put("odd key", fql(text("a ?? b")));
        ArrayNode array = new ArrayNode(List.of(value(new IntValue(1)), fql(text("x || y")), new ObjectNode(fields),
                new ArrayNode(List.of())));
        ParsedQuery q = Parser.parse(fql(text("f("), array, text(")")));
        assertThat(q.source().text()).isEqualTo("f([1, (x || y), {\"k\": \"v\", \"odd key\": (a ?? b)}, []])");
        assertThat(AstPrinter.print(q.expr())).isEqualTo("""
                (call
                  (var f)
                  (array
                    (int 1)
                    (|| (var x) (var y))
                    (object ("k" (string "v")) ("odd key" (?? (var a) (var b))))
                    (array)))""");
        // The parentheses keep a nested query one element: it cannot add elements of its own.
        assertThatThrownBy(() -> Parser.parse(fql(new ArrayNode(List.of(fql(text("x, y")))))))
                .isInstanceOf(FqlSyntaxException.class)
                .hasMessage("Expected `)` but found `,`");
    }

    @Test
    void arraysAndObjectsBuildLiterals() {
        Map<String, TemplateNode> fields = new LinkedHashMap<>();
        fields.put("name", value(new StringValue("Music")));
        fields.put("price", value(new IntValue(1689)));
        fields.put("tags", new ArrayNode(List.of(value(new StringValue("a")), fql(text("1 + 1")))));
        ParsedQuery q = Parser.parse(fql(text("Product.create("), new ObjectNode(fields), text(")")));
        assertThat(q.source().text()).isEqualTo("Product.create({\"name\": \"Music\", \"price\": 1689, \"tags\": [\"a\", (1 + 1)]})");
        assertThat(AstPrinter.print(q.expr())).isEqualTo("""
                (call
                  (field (var Product) create)
                  (object
                    ("name" (string "Music"))
                    ("price" (int 1689))
                    ("tags" (array (string "a") (+ (int 1) (int 1))))))""");
        assertThat(AstPrinter.print(Parser.parse(fql(new ObjectNode(Map.of()))).expr())).isEqualTo("(object)");
    }

    @Test
    void valuesMayBeFollowedByPostfixOperations() {
        ParsedQuery q = Parser.parse(fql(value(new ObjectValue(Map.of("a", new IntValue(1)))), text(".a")));
        assertThat(q.expr()).isInstanceOf(Expr.Field.class);
        assertThat(((Expr.Field) q.expr()).target()).isInstanceOf(Expr.Literal.class);
    }

    @Test
    void adjacentValuesStaySeparate() {
        FqlSyntaxException e = (FqlSyntaxException) catchThrowable(
                () -> Parser.parse(fql(value(new IntValue(1)), value(new IntValue(2)))));
        assertThat(e.getMessage()).isEqualTo("Expected end of statement but found `2`");
        FqlSyntaxException glued = (FqlSyntaxException) catchThrowable(
                () -> Parser.parse(fql(text("x"), value(new IntValue(1)))));
        assertThat(glued.getMessage()).isEqualTo("Expected end of statement but found `1`");
    }

    @Test
    void valuesInsideStringsOrCommentsAreRejected() {
        assertThatThrownBy(() -> Parser.parse(fql(text("\"a "), value(new IntValue(1)), text("\""))))
                .isInstanceOf(FqlSyntaxException.class)
                .hasMessage("A template value cannot appear inside a string literal");
        assertThatThrownBy(() -> Parser.parse(fql(text("1 // "), value(new StringValue("x")))))
                .isInstanceOf(FqlSyntaxException.class)
                .hasMessage("A template value cannot appear inside a comment");
    }

    @Test
    void errorsPointIntoTheFlattenedText() {
        FqlSyntaxException e = (FqlSyntaxException) catchThrowable(
                () -> Parser.parse(fql(text("Product.byId("), value(new StringValue("1")), text(",,)"))));
        assertThat(e.summary()).isEqualTo("""
                error: Expected an expression but found `,`
                at *query*:1:18
                  |
                1 | Product.byId("1",,)
                  |                  ^
                  |""");
    }

    @Test
    void deeplyNestedTemplatesFailCleanly() {
        TemplateNode node = value(new IntValue(1));
        for (int i = 0; i < 100_000; i++) node = new ArrayNode(List.of(node));
        TemplateNode deep = node;
        assertThatThrownBy(() -> Parser.parse(fql(deep)))
                .isInstanceOf(FqlSyntaxException.class)
                .hasMessage("Query is nested too deeply");

        Fql fqlChain = fql(text("1"));
        for (int i = 0; i < 100_000; i++) fqlChain = fql(fqlChain);
        Fql deepFql = fqlChain;
        assertThatThrownBy(() -> Parser.parse(deepFql))
                .isInstanceOf(FqlSyntaxException.class)
                .hasMessage("Query is nested too deeply");
    }

    @Test
    void plainStringsAndSingleTextTemplatesAgree() {
        String query = "Product.all() { name }";
        assertThat(Parser.parse(Fql.of(query))).isEqualTo(Parser.parse(query));
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected an exception");
    }
}
