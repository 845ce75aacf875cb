package io.eddy.stream.derive;

import io.eddy.core.value.BoolValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.runtime.Env;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;

/**
 * A field equality that every document of a collection source must satisfy before anything else
 * about it is evaluated: the leftmost conjunct of the source's first {@code where}, when it reads
 * {@code .field == constant} (either way round; the constant a literal or a captured variable). For
 * {@code Doc.where(.owner == "o1" && .score > 90)} that is {@code owner = "o1"}.
 *
 * <p>The dispatcher routes such sources by the field's value, as it routes index sources by their
 * terms, so a write is derived only for the streams whose value it has (before or after the write),
 * not for every filtered stream on the collection. That is only a pre-filter, and sound because:
 * <ul>
 *   <li>{@code &&} evaluates left to right and stops at the first false, so a document whose field
 *       differs makes the predicate false without evaluating anything that could fail;</li>
 *   <li>only one-segment paths qualify (a missing field reads as null, never an error), and not
 *       {@code coll} or {@code ts}, which the predicate reads differently from stored fields;</li>
 *   <li>only strings, booleans and numbers below 9e15 in magnitude qualify: for those, FQL's
 *       {@code ==} holds exactly when the routing keys (numbers normalised to one form) are equal;</li>
 *   <li>{@code .id} is compared with strings and integers only, an integer routing by its decimal
 *       text: a document's id equals exactly that string and the number it spells.</li>
 * </ul>
 * The full predicate is still evaluated for every routed document.
 */
public record LeadingEquality(String field, Value value) {
    private static final double EXACT_BELOW = 9.0e15;

    /** The equality of {@code set}, or null when it has none that qualifies. */
    public static LeadingEquality of(SetValue set) {
        if (!(set.source() instanceof SetSource.CollectionScan) || set.ops().isEmpty()
                || !(set.ops().getFirst() instanceof SetOp.Where where)
                || !(where.predicate() instanceof FunctionValue.Closure closure)
                || closure.lambda().params().size() != 1) {
            return null;
        }
        String param = closure.lambda().params().getFirst();
        Expr first = closure.lambda().body();
        while (first instanceof Expr.Binary b && b.op().equals("&&")) {
            first = b.left();
        }
        if (!(first instanceof Expr.Binary eq) || !eq.op().equals("==")) {
            return null;
        }
        LeadingEquality found = of(eq.left(), eq.right(), param, closure.env());
        return found != null ? found : of(eq.right(), eq.left(), param, closure.env());
    }

    private static LeadingEquality of(Expr field, Expr constant, String param, Env env) {
        if (!(field instanceof Expr.Field f) || !(f.target() instanceof Expr.Var v) || !v.name().equals(param)
                || f.name().equals("coll") || f.name().equals("ts")) {
            return null;
        }
        Value value = switch (constant) {
            case Expr.Literal l -> l.value();
            case Expr.Var c when !c.name().equals(param) -> env.lookup(c.name());
            default -> null;
        };
        if (f.name().equals("id")) return ofId(value);
        return routable(value) ? new LeadingEquality(f.name(), value) : null;
    }

    /**
     * {@code .id == constant}: the document's id is a string that also equals the Int or Long it
     * spells, so a number routes by its decimal text, the key the dispatcher reads from the document.
     * Any other constant equals no id unless it is that string.
     */
    private static LeadingEquality ofId(Value value) {
        return switch (value) {
            case StringValue s -> new LeadingEquality("id", s);
            case IntValue i -> new LeadingEquality("id", new StringValue(Integer.toString(i.value())));
            case LongValue l -> new LeadingEquality("id", new StringValue(Long.toString(l.value())));
            case null, default -> null;
        };
    }

    private static boolean routable(Value v) {
        return switch (v) {
            case StringValue s -> true;
            case BoolValue b -> true;
            case IntValue i -> true;
            case LongValue l -> Math.abs((double) l.value()) < EXACT_BELOW;
            case DoubleValue d -> Double.isFinite(d.value()) && Math.abs(d.value()) < EXACT_BELOW;
            case null, default -> false;
        };
    }
}
