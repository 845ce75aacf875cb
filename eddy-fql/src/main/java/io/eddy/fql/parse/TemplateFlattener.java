package io.eddy.fql.parse;

import io.eddy.core.value.BoolValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import io.eddy.fql.api.TemplateNode;
import io.eddy.fql.ast.SourceText;
import io.eddy.fql.ast.Span;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Flattens a driver template into one text for the lexer and for diagnostics. Text pieces are copied;
 * each interpolated value becomes a short placeholder (its FQL literal form for scalars, else
 * {@code <value>}) recorded as a {@link ValueSlot}, so the value is bound as a value and never lexed.
 *
 * <ul>
 *   <li>a nested {@code fql} directly inside an {@code fql} is spliced inline, as Fauna composes queries;
 *   <li>{@code array} becomes {@code [a, b]} and {@code object} becomes {@code {"k": v}};
 *   <li>a nested {@code fql} inside an array or object is parenthesised, so it stays one element.
 * </ul>
 */
final class TemplateFlattener {
    /** Template nesting comes from client JSON; bound it like parser nesting. */
    private static final int MAX_DEPTH = Parser.MAX_NESTING;

    private final StringBuilder text = new StringBuilder();
    private final NavigableMap<Integer, ValueSlot> slots = new TreeMap<>();

    record Flattened(SourceText source, NavigableMap<Integer, ValueSlot> slots) {}

    private TemplateFlattener() {}

    static Flattened flatten(TemplateNode.Fql template) {
        TemplateFlattener f = new TemplateFlattener();
        f.fql(template, 0);
        return new Flattened(new SourceText(f.text.toString()), f.slots);
    }

    private void fql(TemplateNode.Fql fql, int depth) {
        for (TemplateNode part : fql.parts()) {
            if (part instanceof TemplateNode.Fql nested) {
                checkDepth(depth);
                fql(nested, depth + 1);
            } else {
                node(part, depth);
            }
        }
    }

    private void node(TemplateNode node, int depth) {
        switch (node) {
            case TemplateNode.Text t -> text.append(t.source());
            case TemplateNode.ValueNode v -> value(v.value());
            case TemplateNode.Fql nested -> {
                checkDepth(depth);
                text.append('(');
                fql(nested, depth + 1);
                text.append(')');
            }
            case TemplateNode.ArrayNode a -> {
                checkDepth(depth);
                text.append('[');
                String sep = "";
                for (TemplateNode element : a.elements()) {
                    text.append(sep);
                    node(element, depth + 1);
                    sep = ", ";
                }
                text.append(']');
            }
            case TemplateNode.ObjectNode o -> {
                checkDepth(depth);
                text.append('{');
                String sep = "";
                for (Map.Entry<String, TemplateNode> field : o.fields().entrySet()) {
                    text.append(sep).append(quote(field.getKey())).append(": ");
                    node(field.getValue(), depth + 1);
                    sep = ", ";
                }
                text.append('}');
            }
        }
    }

    private void value(Value value) {
        int start = text.length();
        text.append(placeholder(value));
        slots.put(start, new ValueSlot(new Span(start, text.length()), value));
    }

    private void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            int at = text.length();
            throw new FqlSyntaxException(NestingGuard.TOO_DEEP, new Span(at, at), new SourceText(text.toString()));
        }
    }

    /** How a value reads in the flattened text, hence in error summaries. */
    static String placeholder(Value value) {
        return switch (value) {
            case NullValue n -> "null";
            case BoolValue b -> Boolean.toString(b.value());
            case IntValue i -> Integer.toString(i.value());
            case LongValue l -> Long.toString(l.value());
            case DoubleValue d -> Double.isFinite(d.value()) ? Double.toString(d.value()) : "<value>";
            case StringValue s -> quote(s.value());
            case DateValue d -> "Date(\"" + d.value() + "\")";
            case TimeValue t -> "Time(\"" + t.value() + "\")";
            default -> "<value>";
        };
    }

    /** A double-quoted FQL string literal; {@code #} is escaped so the text never looks interpolated. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '#' -> out.append("\\#");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
