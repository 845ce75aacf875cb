package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Methods of {@link SetValue}: pipeline steps (lazy) and consumers (which iterate). */
final class SetFunctions {
    private final Interpreter interp;
    private final SetExecutor exec;
    private final EventSources eventSources;

    SetFunctions(Interpreter interp, DocumentFunctions docs) {
        this.interp = interp;
        this.exec = new SetExecutor(interp, docs);
        this.eventSources = new EventSources(interp);
    }

    SetExecutor executor() { return exec; }

    Value call(SetValue s, String name, Args args) {
        return switch (name) {
            case "where", "filter" -> s.with(new SetOp.Where(args.count(1).fn(0)));
            case "map" -> s.with(new SetOp.MapOp(args.count(1).fn(0)));
            case "flatMap" -> s.with(new SetOp.FlatMap(args.count(1).fn(0)));
            case "take" -> s.with(new SetOp.Take(nonNegative(args.count(1), 0)));
            case "drop" -> s.with(new SetOp.Drop(nonNegative(args.count(1), 0)));
            case "reverse" -> s.with(new SetOp.Reverse());
            case "distinct" -> s.with(new SetOp.Distinct());
            case "order" -> s.with(new SetOp.Order(Orderings.parse(args)));
            case "concat" -> {
                args.count(1);
                Value other = args.get(0);
                if (other instanceof ArrayValue a) other = SetValue.of(new SetSource.Elements(a.elements()));
                if (!(other instanceof SetValue o)) throw args.wrongType(0, "Set");
                yield s.with(new SetOp.Concat(o));
            }
            case "pageSize" -> s.withPageSize(args.count(1).smallInt(0, 1, SetValue.MAX_PAGE_SIZE));
            case "toSet" -> s;
            case "paginate" -> {
                args.count(0, 1);
                int size = args.has(0) ? args.smallInt(0, 1, SetValue.MAX_PAGE_SIZE) : s.effectivePageSize();
                yield paginate(s, SetExecutor.Resume.START, size, args);
            }
            case "first" -> {
                args.count(0);
                try (SetExecutor.Cursor c = exec.open(s, SetExecutor.Resume.START, args.span())) {
                    SetExecutor.Element e = c.next();
                    yield e == null ? NullValue.NULL : e.value();
                }
            }
            case "last" -> {
                args.count(0);
                Value last = NullValue.NULL;
                try (SetExecutor.Cursor c = exec.open(s, SetExecutor.Resume.START, args.span())) {
                    for (SetExecutor.Element e = c.next(); e != null; e = c.next()) last = e.value();
                }
                yield last;
            }
            case "firstWhere" -> {
                args.count(1);
                yield call(s.with(new SetOp.Where(args.fn(0))), "first", new Args("first", List.of(), callOf(args)));
            }
            case "count" -> {
                args.count(0);
                long n = 0;
                try (SetExecutor.Cursor c = exec.open(s, SetExecutor.Resume.START, args.span())) {
                    while (c.next() != null) n++;
                }
                yield Arith.integer(n, false);
            }
            case "isEmpty", "nonEmpty" -> {
                args.count(0);
                boolean empty;
                try (SetExecutor.Cursor c = exec.open(s, SetExecutor.Resume.START, args.span())) {
                    empty = c.next() == null;
                }
                yield BoolValue.of(name.equals("isEmpty") == empty);
            }
            case "includes" -> {
                args.count(1);
                yield BoolValue.of(anyMatch(s, v -> Compare.equal(v, args.get(0)), args));
            }
            case "any" -> {
                FunctionValue f = args.count(1).fn(0);
                yield BoolValue.of(anyMatch(s, v -> exec.test(f, v, args.span()), args));
            }
            case "every" -> {
                FunctionValue f = args.count(1).fn(0);
                yield BoolValue.of(!anyMatch(s, v -> !exec.test(f, v, args.span()), args));
            }
            case "forEach" -> {
                FunctionValue f = args.count(1).fn(0);
                try (SetExecutor.Cursor c = exec.open(s, SetExecutor.Resume.START, args.span())) {
                    for (SetExecutor.Element e = c.next(); e != null; e = c.next()) interp.call(f, List.of(e.value()), args.span());
                }
                yield NullValue.NULL;
            }
            case "toArray" -> {
                args.count(0);
                yield new ArrayValue(exec.toList(s, args.span()));
            }
            case "fold" -> {
                args.count(2);
                FunctionValue f = args.fn(1);
                Value acc = args.get(0);
                for (Value v : exec.toList(s, args.span())) acc = interp.call(f, List.of(acc, v), args.span());
                yield acc;
            }
            case "reduce" -> {
                FunctionValue f = args.count(1).fn(0);
                List<Value> all = exec.toList(s, args.span());
                if (all.isEmpty()) yield NullValue.NULL;
                Value acc = all.get(0);
                for (int i = 1; i < all.size(); i++) acc = interp.call(f, List.of(acc, all.get(i)), args.span());
                yield acc;
            }
            case "aggregate" -> {
                args.count(2);
                FunctionValue f = args.fn(1);
                Value acc = args.get(0);
                for (Value v : exec.toList(s, args.span())) acc = interp.call(f, List.of(acc, v), args.span());
                yield acc;
            }
            case "toStream", "eventSource" -> {
                args.count(0);
                yield eventSources.create(s, List.of(), args);
            }
            case "changesOn", "eventsOn" -> eventSources.create(s, args.values(), args);
            default -> null;
        };
    }

    private static io.eddy.fql.ast.Expr.Call callOf(Args args) {
        return new io.eddy.fql.ast.Expr.Call(new io.eddy.fql.ast.Expr.Var("first", args.span()), List.of(), false, args.span());
    }

    private interface ValueTest {
        boolean test(Value v);
    }

    private boolean anyMatch(SetValue s, ValueTest t, Args args) {
        try (SetExecutor.Cursor c = exec.open(s, SetExecutor.Resume.START, args.span())) {
            for (SetExecutor.Element e = c.next(); e != null; e = c.next()) if (t.test(e.value())) return true;
        }
        return false;
    }

    private static long nonNegative(Args args, int i) {
        long n = args.integer(i);
        if (n < 0) {
            throw new QueryException("invalid_argument", "invalid argument `" + args.function() + "`: expected a non-negative Int but found " + n + ".", args.spanOf(i));
        }
        return n;
    }

    /** {@code set.paginate(n)} and {@code Set.paginate(cursor)}: a plain {@code {data, after?}} object. */
    Value paginate(SetValue s, SetExecutor.Resume resume, int size, Args args) {
        SetExecutor.Page page = exec.page(s, resume, size, args.span());
        Map<String, Value> out = new LinkedHashMap<>();
        out.put("data", new ArrayValue(page.elements()));
        if (page.next() != null) out.put("after", new StringValue(interp.ctx().cursors().encode(s.withPageSize(size), page.next())));
        return new ObjectValue(out);
    }
}
