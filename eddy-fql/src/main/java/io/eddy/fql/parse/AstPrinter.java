package io.eddy.fql.parse;

import io.eddy.core.value.BoolValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints an {@link Expr} as an indented S-expression, for golden tests and debugging. The form is
 * stable: golden files depend on it.
 *
 * <pre>
 * true  false  null                  (int 1)  (long 5000000000)  (double 1.5)  (string "a\n")
 * (value Date "2024-01-01")          other interpolated values: type name and toString
 * (interp part...)                   (array e...)        (object ("key" value)...)
 * (var x)                            (var .)             the implicit parameter
 * (field target name)                (field? target name)       a?.b; odd names are quoted
 * (index target i)                   (index? target i)          a?.[i]
 * (call callee arg...)               (call? callee arg...)      f?.(x)
 * (op left right)                    e.g. (+ a b), (isa x T), (?? a b)
 * (neg x)  (not x)  (nonnull x)      prefix -, prefix !, postfix !
 * (lambda (x y) body)                (lambda (.) body)   a shorthand function
 * (if cond then)                     (if cond then else)
 * (block stmt...)                    (let name value)
 * (project target ("name" value)...)
 * </pre>
 *
 * A list that does not fit in {@value #WIDTH} columns puts its head (with a let's name, a lambda's
 * parameters) on the first line and each further item on its own line, indented by two. With spans, every node is
 * followed by {@code @start..end}, and a field's name by its own name span.
 */
public final class AstPrinter {
    public static final int WIDTH = 80;

    private final boolean withSpans;

    private AstPrinter(boolean withSpans) {
        this.withSpans = withSpans;
    }

    public static String print(Expr expr) {
        return print(expr, false);
    }

    public static String print(Expr expr, boolean withSpans) {
        StringBuilder out = new StringBuilder();
        layout(new AstPrinter(withSpans).build(expr), 0, WIDTH, out);
        return out.toString();
    }

    /** The same form on a single line, however long; handy in assertions and logs. */
    public static String printOneLine(Expr expr) {
        StringBuilder out = new StringBuilder();
        flat(new AstPrinter(false).build(expr), out);
        return out.toString();
    }

    // ---- building -------------------------------------------------------------------------------

    /** An atom or a parenthesised list with an optional suffix (a span). */
    private sealed interface Sx {}

    private record Atom(String text) implements Sx {}

    /** {@code header} items (the head, and e.g. a let's name) stay on the first line when broken. */
    private record SList(List<Sx> items, int header, String suffix) implements Sx {}

    private Sx build(Expr e) {
        return switch (e) {
            case Expr.Literal l -> literal(l.value(), l.span());
            case Expr.Interpolated i -> list(i.span(), "interp", all(i.parts()));
            case Expr.ArrayLit a -> list(a.span(), "array", all(a.elements()));
            case Expr.ObjectLit o -> list(o.span(), "object",
                    o.entries().stream().map(en -> entry(en.key(), en.value())).toList());
            case Expr.Var v -> list(v.span(), "var", List.of(new Atom(v.name())));
            case Expr.Field f -> list(f.span(), f.optional() ? "field?" : "field",
                    List.of(build(f.target()), new Atom(name(f.name()) + spanSuffix(f.nameSpan()))));
            case Expr.Index i -> list(i.span(), i.optional() ? "index?" : "index",
                    List.of(build(i.target()), build(i.index())));
            case Expr.Call c -> {
                List<Sx> items = new ArrayList<>();
                items.add(build(c.callee()));
                items.addAll(all(c.args()));
                yield list(c.span(), c.optional() ? "call?" : "call", items);
            }
            case Expr.Binary b -> list(b.span(), b.op(), List.of(build(b.left()), build(b.right())));
            case Expr.Unary u -> list(u.span(), switch (u.op()) {
                case "-" -> "neg";
                case "!" -> "not";
                default -> "unary" + u.op();
            }, List.of(build(u.operand())));
            case Expr.NonNull n -> list(n.span(), "nonnull", List.of(build(n.operand())));
            case Expr.Lambda l -> list(l.span(), "lambda", 2,
                    List.of(new Atom("(" + String.join(" ", l.params()) + ")"), build(l.body())));
            case Expr.If i -> list(i.span(), "if", i.otherwise() == null
                    ? List.of(build(i.cond()), build(i.then()))
                    : List.of(build(i.cond()), build(i.then()), build(i.otherwise())));
            case Expr.Block b -> list(b.span(), "block", all(b.statements()));
            case Expr.Let l -> list(l.span(), "let", 2, List.of(new Atom(l.name()), build(l.value())));
            case Expr.Projection p -> {
                List<Sx> items = new ArrayList<>();
                items.add(build(p.target()));
                for (Expr.Projection.ProjField f : p.fields()) items.add(entry(f.name(), f.value()));
                yield list(p.span(), "project", items);
            }
        };
    }

    private List<Sx> all(List<Expr> exprs) {
        return exprs.stream().map(this::build).toList();
    }

    private Sx entry(String key, Expr value) {
        return new SList(List.of(new Atom(quote(key)), build(value)), 1, "");
    }

    private Sx list(Span span, String head, List<Sx> items) {
        return list(span, head, 1, items);
    }

    private Sx list(Span span, String head, int header, List<Sx> items) {
        List<Sx> all = new ArrayList<>(items.size() + 1);
        all.add(new Atom(head));
        all.addAll(items);
        return new SList(all, header, spanSuffix(span));
    }

    private Sx literal(Value value, Span span) {
        return switch (value) {
            case NullValue n -> new Atom("null" + spanSuffix(span));
            case BoolValue b -> new Atom(b.value() + spanSuffix(span));
            case IntValue i -> list(span, "int", List.of(new Atom(Integer.toString(i.value()))));
            case LongValue l -> list(span, "long", List.of(new Atom(Long.toString(l.value()))));
            case DoubleValue d -> list(span, "double", List.of(new Atom(Double.toString(d.value()))));
            case StringValue s -> list(span, "string", List.of(new Atom(quote(s.value()))));
            default -> list(span, "value", 3,
                    List.of(new Atom(value.typeName()), new Atom(quote(String.valueOf(value)))));
        };
    }

    /** A field name as is if it looks like an identifier, else quoted. */
    private static String name(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : quote(name);
    }

    private String spanSuffix(Span span) {
        return withSpans ? "@" + span.start() + ".." + span.end() : "";
    }

    /**
     * A double-quoted string with {@code \"}, {@code \\}, {@code \n}, {@code \r} and {@code \t} escapes,
     * and <code>&#92;u&#123;hex&#125;</code> for other invisible characters.
     */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (isInvisible(c)) {
                        out.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    private static boolean isInvisible(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    // ---- layout ---------------------------------------------------------------------------------

    private static void layout(Sx sx, int indent, int width, StringBuilder out) {
        if (sx instanceof Atom a) {
            out.append(a.text());
            return;
        }
        SList list = (SList) sx;
        if (indent + flatWidth(list, width - indent) <= width) {
            flat(list, out);
            return;
        }
        out.append('(');
        for (int i = 0; i < list.header(); i++) {
            if (i > 0) out.append(' ');
            flat(list.items().get(i), out);
        }
        for (int i = list.header(); i < list.items().size(); i++) {
            out.append('\n').append(" ".repeat(indent + 2));
            layout(list.items().get(i), indent + 2, width, out);
        }
        out.append(')').append(list.suffix());
    }

    private static void flat(Sx sx, StringBuilder out) {
        if (sx instanceof Atom a) {
            out.append(a.text());
            return;
        }
        SList list = (SList) sx;
        out.append('(');
        for (int i = 0; i < list.items().size(); i++) {
            if (i > 0) out.append(' ');
            flat(list.items().get(i), out);
        }
        out.append(')').append(list.suffix());
    }

    /** The one-line width of {@code sx}, or some value above {@code budget} once it exceeds it. */
    private static int flatWidth(Sx sx, int budget) {
        if (sx instanceof Atom a) return a.text().length();
        SList list = (SList) sx;
        int width = 1 + list.items().size() + list.suffix().length(); // parens and separating spaces
        for (Sx item : list.items()) {
            width += flatWidth(item, budget - width);
            if (width > budget) return width;
        }
        return width;
    }
}
