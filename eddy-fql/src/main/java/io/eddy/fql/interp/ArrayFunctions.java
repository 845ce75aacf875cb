package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/** Methods of {@link ArrayValue}. Arrays are eager: every method returns a new array or a value. */
final class ArrayFunctions {
    private final Interpreter interp;

    ArrayFunctions(Interpreter interp) {
        this.interp = interp;
    }

    Value call(ArrayValue a, String name, Args args) {
        List<Value> xs = a.elements();
        return switch (name) {
            case "length" -> { args.count(0); yield new IntValue(xs.size()); }
            case "map" -> {
                FunctionValue f = args.count(1).fn(0);
                List<Value> out = new ArrayList<>(xs.size());
                for (Value x : xs) out.add(interp.call(f, List.of(x), args.span()));
                yield new ArrayValue(out);
            }
            case "flatMap" -> {
                FunctionValue f = args.count(1).fn(0);
                List<Value> out = new ArrayList<>();
                for (Value x : xs) {
                    Value r = interp.call(f, List.of(x), args.span());
                    if (r instanceof ArrayValue ra) out.addAll(ra.elements());
                    else throw QueryException.invalidArgument("`flatMap` expects the function to return an Array but it returned "
                            + Builtins.typeOf(r) + ".", args.span());
                }
                yield new ArrayValue(out);
            }
            case "where", "filter" -> {
                FunctionValue f = args.count(1).fn(0);
                List<Value> out = new ArrayList<>();
                for (Value x : xs) if (test(f, x, args)) out.add(x);
                yield new ArrayValue(out);
            }
            case "forEach" -> {
                FunctionValue f = args.count(1).fn(0);
                for (Value x : xs) interp.call(f, List.of(x), args.span());
                yield NullValue.NULL;
            }
            case "first" -> { args.count(0); yield xs.isEmpty() ? NullValue.NULL : xs.get(0); }
            case "last" -> { args.count(0); yield xs.isEmpty() ? NullValue.NULL : xs.get(xs.size() - 1); }
            case "firstWhere" -> {
                FunctionValue f = args.count(1).fn(0);
                for (Value x : xs) if (test(f, x, args)) yield x;
                yield NullValue.NULL;
            }
            case "isEmpty" -> { args.count(0); yield BoolValue.of(xs.isEmpty()); }
            case "nonEmpty" -> { args.count(0); yield BoolValue.of(!xs.isEmpty()); }
            case "includes" -> {
                args.count(1);
                yield BoolValue.of(xs.stream().anyMatch(x -> Compare.equal(x, args.get(0))));
            }
            case "indexOf" -> {
                args.count(1);
                for (int i = 0; i < xs.size(); i++) if (Compare.equal(xs.get(i), args.get(0))) yield new IntValue(i);
                yield NullValue.NULL;
            }
            case "any" -> {
                FunctionValue f = args.count(1).fn(0);
                for (Value x : xs) if (test(f, x, args)) yield BoolValue.TRUE;
                yield BoolValue.FALSE;
            }
            case "every" -> {
                FunctionValue f = args.count(1).fn(0);
                for (Value x : xs) if (!test(f, x, args)) yield BoolValue.FALSE;
                yield BoolValue.TRUE;
            }
            case "concat" -> {
                args.count(1);
                List<Value> out = new ArrayList<>(xs);
                out.addAll(args.array(0).elements());
                yield new ArrayValue(out);
            }
            case "append" -> { args.count(1); List<Value> out = new ArrayList<>(xs); out.add(args.get(0)); yield new ArrayValue(out); }
            case "prepend" -> { args.count(1); List<Value> out = new ArrayList<>(); out.add(args.get(0)); out.addAll(xs); yield new ArrayValue(out); }
            case "reverse" -> { args.count(0); List<Value> out = new ArrayList<>(xs); Collections.reverse(out); yield new ArrayValue(out); }
            case "take" -> { args.count(1); yield new ArrayValue(xs.subList(0, clamp(args.integer(0), xs.size()))); }
            case "drop" -> { args.count(1); yield new ArrayValue(xs.subList(clamp(args.integer(0), xs.size()), xs.size())); }
            case "slice" -> {
                args.count(1, 2);
                int from = clamp(args.integer(0), xs.size());
                int to = args.has(1) ? clamp(args.integer(1), xs.size()) : xs.size();
                yield new ArrayValue(from >= to ? List.of() : xs.subList(from, to));
            }
            case "at" -> { args.count(1); yield interpIndex(a, args); }
            case "distinct" -> {
                args.count(0);
                TreeSet<Value> seen = new TreeSet<>(Compare::compare);
                List<Value> out = new ArrayList<>();
                for (Value x : xs) if (seen.add(x)) out.add(x);
                yield new ArrayValue(out);
            }
            case "order" -> {
                List<Value> out = new ArrayList<>(xs);
                Orderings.sort(interp, out, Orderings.parse(args), args.span());
                yield new ArrayValue(out);
            }
            case "fold" -> {
                args.count(2);
                FunctionValue f = args.fn(1);
                Value acc = args.get(0);
                for (Value x : xs) acc = interp.call(f, List.of(acc, x), args.span());
                yield acc;
            }
            case "reduce" -> {
                FunctionValue f = args.count(1).fn(0);
                if (xs.isEmpty()) yield NullValue.NULL;
                Value acc = xs.get(0);
                for (int i = 1; i < xs.size(); i++) acc = interp.call(f, List.of(acc, xs.get(i)), args.span());
                yield acc;
            }
            case "toSet" -> { args.count(0); yield SetValue.of(new SetSource.Elements(xs)); }
            case "toArray" -> { args.count(0); yield a; }
            case "count" -> { args.count(0); yield new IntValue(xs.size()); }
            case "join" -> {
                args.count(0, 1);
                String sep = args.has(0) ? args.string(0) : "";
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < xs.size(); i++) sb.append(i > 0 ? sep : "").append(Builtins.display(xs.get(i)));
                yield new StringValue(sb.toString());
            }
            case "toStream", "eventSource", "changesOn", "eventsOn" -> throw new QueryException("invalid_receiver",
                    "can't call `." + name + "()` because streaming is not supported on arrays.", args.span());
            default -> null;
        };
    }

    private Value interpIndex(ArrayValue a, Args args) {
        long i = args.integer(0);
        if (i < 0 || i >= a.size()) {
            throw new QueryException("index_out_of_bounds", "Index " + i + " out of bounds for length " + a.size() + ".", args.spanOf(0));
        }
        return a.get((int) i);
    }

    private boolean test(FunctionValue f, Value x, Args args) {
        Value r = interp.call(f, List.of(x), args.span());
        if (r instanceof BoolValue b) return b.value();
        if (r == NullValue.NULL) return false;
        throw QueryException.typeMismatch("The predicate must return a Boolean but returned " + Builtins.typeOf(r) + ".", args.span());
    }

    private static int clamp(long n, int size) {
        return (int) Math.max(0, Math.min(n, size));
    }
}
