package io.eddy.fql.interp;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.Value;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.runtime.EventSourceDef;
import io.eddy.fql.runtime.FieldPath;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code toStream()}, {@code eventSource()}, {@code changesOn()}, {@code eventsOn()}: checks that a set
 * can be streamed and turns it into an {@link EventSourceDef}. Streamable: {@code Coll.all()}, a user
 * index call without a range, {@code Set.single(document)}, each followed only by {@code where},
 * {@code map} or a projection.
 */
final class EventSources {
    private final Interpreter interp;

    EventSources(Interpreter interp) {
        this.interp = interp;
    }

    Value create(SetValue s, List<Value> fieldArgs, Args args) {
        String method = "." + args.function() + "()";
        boolean watching = args.function().equals("changesOn") || args.function().equals("eventsOn");
        String why = unstreamableReason(s);
        if (why != null) {
            throw new QueryException("invalid_receiver", "can't call `" + method + "` because " + why, args.span());
        }
        if (!watching) return new EventSourceDef(s, List.of());
        // `where` filters keep the source set (the seed's `byType('book').where(...).changesOn(.stock)` is
        // judged on index coverage); a `map` or projection does not.
        if (s.ops().stream().anyMatch(op -> !(op instanceof SetOp.Where))) {
            throw new QueryException("invalid_receiver", "can't call `" + method + "` because it was not called on the source set.", args.span());
        }
        // No fields watches every field, as Fauna's `Foo.all().changesOn()` does: the source of toStream().
        List<FieldPath> fields = new ArrayList<>();
        for (int i = 0; i < fieldArgs.size(); i++) fields.add(fieldPath(fieldArgs.get(i), args, i));
        if (s.source() instanceof SetSource.IndexRange r) checkCovered(r, fields, args);
        return new EventSourceDef(s, fields);
    }

    /** Schema and keys are not event sources: only user collections and their indexes are. */
    private static final String SYSTEM_COLLECTION = "only collections and user defined indexes are streamable.";

    private static final String RANGE = "range queries are not supported yet, use `.where()` method instead.";

    private String unstreamableReason(SetValue s) {
        switch (s.source()) {
            case SetSource.CollectionScan c -> {
                if (KeyFunctions.isKey(c.coll())) return SYSTEM_COLLECTION;
                if (c.hasRange()) return RANGE;
            }
            case SetSource.IndexRange r -> {
                if (r.hasRange()) return RANGE;
            }
            case SetSource.Single single -> {
                if (!(single.value() instanceof DocumentValue || single.value() instanceof DocRefValue)) {
                    return "streaming on `Set.single()` is only supported if its element is a document.";
                }
                if ((single.value() instanceof DocumentValue d && KeyFunctions.isKey(d.coll()))
                        || (single.value() instanceof DocRefValue ref && KeyFunctions.isKey(ref.coll()))) {
                    return SYSTEM_COLLECTION;
                }
            }
            case SetSource.CollectionDefs d -> { return SYSTEM_COLLECTION; }
            case SetSource.Elements e -> { return "streaming is not supported on array sets."; }
            case SetSource.Sequence q -> { return "streaming is not supported on sets created from `Set.sequence()`."; }
        }
        for (SetOp op : s.ops()) {
            String why = switch (op) {
                case SetOp.Where w -> null;
                case SetOp.MapOp m -> null;
                case SetOp.FlatMap f -> "streaming is not supported on `.flatMap()` sets.";
                case SetOp.Take t -> "streaming is not supported on sets returned from `.take()`.";
                case SetOp.Drop d -> "streaming is not supported on sets returned from `.drop()`.";
                case SetOp.Order o -> "streaming is not supported on sets returned from `.order()`.";
                case SetOp.Reverse r -> "streaming is not supported on sets that have been reversed.";
                case SetOp.Distinct d -> "streaming is not supported on distinct sets.";
                case SetOp.Concat c -> "streaming is not supported on concatenated sets.";
            };
            if (why != null) return why;
        }
        return null;
    }

    /**
     * A watched field given as a shorthand function such as {@code .price}, {@code .address.city} or
     * {@code .baz[0]} (names, and array positions written as integer literals).
     */
    private static FieldPath fieldPath(Value v, Args args, int i) {
        if (v instanceof FunctionValue.Closure c && c.lambda().params().size() == 1) {
            List<FieldPath.Step> path = new ArrayList<>();
            Expr e = c.lambda().body();
            String param = c.lambda().params().get(0);
            while (true) {
                if (e instanceof Expr.Field f) {
                    path.addFirst(new FieldPath.Name(f.name()));
                    e = f.target();
                } else if (e instanceof Expr.Index ix && position(ix.index()) >= 0) {
                    path.addFirst(new FieldPath.Position(position(ix.index())));
                    e = ix.target();
                } else {
                    break;
                }
            }
            if (e instanceof Expr.Var var && var.name().equals(param) && !path.isEmpty()
                    && path.getFirst() instanceof FieldPath.Name) {
                return new FieldPath(path);
            }
        }
        throw new QueryException("invalid_argument", "invalid argument `fields`: argument " + (i + 1)
                + " must be a field accessor such as `.price`.", args.spanOf(i));
    }

    /** The array position an index expression names, when it is an integer literal; else -1. */
    private static int position(Expr index) {
        if (index instanceof Expr.Literal l) {
            if (l.value() instanceof IntValue n && n.value() >= 0) return n.value();
        }
        return -1;
    }

    /**
     * On a user index every watched field must be one the index covers (a term or a value), but for
     * {@code id} and {@code ts}, which every index entry knows. (Fauna also lets an index that covers
     * {@code .ts} watch any field; Eddy does not index {@code .ts}.)
     */
    private void checkCovered(SetSource.IndexRange r, List<FieldPath> fields, Args args) {
        CollectionDef def = interp.ctx().txn().collection(r.coll());
        IndexDef idx = def == null ? null : def.indexes().get(r.index());
        if (idx == null) return;
        String uncovered = FieldPath.notCoveredMessage(idx, fields);
        if (uncovered != null) throw new QueryException("invalid_argument", uncovered, args.span());
    }
}
