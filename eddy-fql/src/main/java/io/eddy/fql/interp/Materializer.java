package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.EventSourceDef;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.OrderingValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetValue;
import io.eddy.fql.runtime.ValueDepth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Turns a query's result into wire-ready core values, in two steps around the commit:
 * {@link #materialize} (inside the transaction: sets become their first page with a cursor) and
 * {@link #finish} (after commit: documents written by the query get the commit time as {@code ts},
 * event sources become tokens stamped with it).
 */
public final class Materializer {
    /** Sets nested deeper than this are not paged, as in Fauna. */
    private static final int SET_DEPTH = 10;

    private Materializer() {}

    public static Value materialize(Value v, Interpreter interp) {
        return materialize(v, interp, 0);
    }

    private static Value materialize(Value v, Interpreter interp, int depth) {
        return switch (v) {
            case SetValue s -> {
                if (depth >= SET_DEPTH) yield new StringValue("[set]");
                if (depth >= ValueDepth.MAX) throw tooDeep();
                SetExecutor exec = new SetExecutor(interp, new DocumentFunctions(interp));
                SetExecutor.Page page = exec.page(s, SetExecutor.Resume.START, s.effectivePageSize(), Span.NONE);
                List<Value> data = new ArrayList<>(page.elements().size());
                for (Value e : page.elements()) data.add(materialize(e, interp, depth + 1));
                String after = page.next() == null ? null : interp.ctx().cursors().encode(s, page.next());
                yield new SetPageValue(data, after);
            }
            case ArrayValue a -> {
                if (depth >= ValueDepth.MAX) throw tooDeep();
                List<Value> out = new ArrayList<>(a.size());
                for (Value e : a.elements()) out.add(materialize(e, interp, depth + 1));
                yield new ArrayValue(out);
            }
            case ObjectValue o -> {
                if (depth >= ValueDepth.MAX) throw tooDeep();
                LinkedHashMap<String, Value> out = new LinkedHashMap<>();
                for (var e : o.fields().entrySet()) out.put(e.getKey(), materialize(e.getValue(), interp, depth + 1));
                yield ObjectValue.ofOwned(out);
            }
            case DocRefValue r -> new Builtins(interp).resolve(r);
            case FunctionValue f -> new StringValue(f.toString());
            case OrderingValue o -> new StringValue(o.descending() ? "[ordering desc]" : "[ordering asc]");
            default -> v;
        };
    }

    /** Raised inside the transaction, so a query whose result cannot be returned writes nothing. */
    private static QueryException tooDeep() {
        return ValueDepth.tooDeep("invalid_request", "The query's result", Span.NONE);
    }

    /**
     * Whether finishing and rendering {@code v} is cheap: at most {@code budget} values, a string or
     * byte array counting one more per KiB. Stops counting once over.
     */
    public static boolean isSmall(Value v, int budget) {
        return weigh(v, budget) >= 0;
    }

    /** {@code budget} minus the weight of {@code v}, or a negative number once over. */
    private static int weigh(Value v, int budget) {
        budget--;
        if (budget < 0) return budget;
        return switch (v) {
            case StringValue str -> budget - str.value().length() / 1024;
            case BytesValue b -> budget - b.value().length / 1024;
            case DocumentValue d -> weigh(d.data(), budget);
            case NamedDocumentValue n -> weigh(n.data(), budget);
            case SetPageValue p -> weighAll(p.data(), budget);
            case ArrayValue a -> weighAll(a.elements(), budget);
            case ObjectValue o -> {
                for (Value e : o.fields().values()) {
                    budget = weigh(e, budget);
                    if (budget < 0) break;
                }
                yield budget;
            }
            default -> budget;
        };
    }

    private static int weighAll(List<Value> values, int budget) {
        if (values.size() > budget) return -1;
        for (Value e : values) {
            budget = weigh(e, budget);
            if (budget < 0) break;
        }
        return budget;
    }

    /** Substitutes the commit time; {@code txnTs} is the query's commit (or snapshot) time. */
    public static Value finish(Value v, long txnTs, Cursors cursors) {
        return switch (v) {
            case DocumentValue d when d.ts() == DocumentValue.PENDING_TS -> new DocumentValue(d.coll(), d.id(), txnTs, d.data());
            case NamedDocumentValue n when n.ts() == DocumentValue.PENDING_TS -> new NamedDocumentValue(n.coll(), n.name(), txnTs, n.data());
            case EventSourceDef e -> new EventSourceValue(cursors.encodeEventSource(e, txnTs));
            case SetPageValue p -> {
                List<Value> out = new ArrayList<>(p.data().size());
                for (Value e : p.data()) out.add(finish(e, txnTs, cursors));
                yield new SetPageValue(out, p.after());
            }
            case ArrayValue a -> {
                List<Value> out = new ArrayList<>(a.size());
                for (Value e : a.elements()) out.add(finish(e, txnTs, cursors));
                yield new ArrayValue(out);
            }
            case ObjectValue o -> {
                LinkedHashMap<String, Value> out = new LinkedHashMap<>();
                for (var e : o.fields().entrySet()) out.put(e.getKey(), finish(e.getValue(), txnTs, cursors));
                yield ObjectValue.ofOwned(out);
            }
            default -> v;
        };
    }
}
