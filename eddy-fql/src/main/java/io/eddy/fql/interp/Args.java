package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.QueryException;
import java.util.List;

/**
 * The arguments of one built-in call, with typed accessors that raise {@code invalid_argument} errors
 * naming the function, the parameter position and the expected type.
 */
final class Args {
    private final String function;
    private final List<Value> values;
    private final Expr.Call call;

    Args(String function, List<Value> values, Expr.Call call) {
        this.function = function;
        this.values = values;
        this.call = call;
    }

    int size() { return values.size(); }

    List<Value> values() { return values; }

    String function() { return function; }

    Span span() { return call.span(); }

    /** The span of argument {@code i}, or the call's when the argument is missing. */
    Span spanOf(int i) {
        return i < call.args().size() ? call.args().get(i).span() : call.span();
    }

    Args count(int n) {
        return count(n, n);
    }

    Args count(int min, int max) {
        if (values.size() < min || values.size() > max) {
            String expected = min == max ? String.valueOf(min) : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            throw new QueryException("invalid_argument", "The function `" + function + "` expects " + expected
                    + " argument" + (max == 1 && min == 1 ? "" : "s") + " but was called with " + values.size() + ".", call.span());
        }
        return this;
    }

    Value get(int i) { return values.get(i); }

    boolean has(int i) { return i < values.size(); }

    QueryException wrongType(int i, String expected) {
        return new QueryException("invalid_argument", "invalid argument `" + function + "` argument " + (i + 1)
                + ": expected " + expected + " but found " + Builtins.typeOf(values.get(i)) + ".", spanOf(i));
    }

    FunctionValue fn(int i) {
        if (values.get(i) instanceof FunctionValue f) return f;
        throw wrongType(i, "a function");
    }

    long integer(int i) {
        Value v = values.get(i);
        if (v instanceof IntValue x) return x.value();
        if (v instanceof LongValue x) return x.value();
        throw wrongType(i, "Int");
    }

    int smallInt(int i, int min, int max) {
        long v = integer(i);
        if (v < min || v > max) {
            throw new QueryException("invalid_argument", "invalid argument `" + function + "` argument " + (i + 1)
                    + ": " + v + " is out of range " + min + ".." + max + ".", spanOf(i));
        }
        return (int) v;
    }

    double number(int i) {
        if (values.get(i) instanceof NumberValue n) return n.asDouble();
        throw wrongType(i, "Number");
    }

    NumberValue numberValue(int i) {
        if (values.get(i) instanceof NumberValue n) return n;
        throw wrongType(i, "Number");
    }

    String string(int i) {
        if (values.get(i) instanceof StringValue s) return s.value();
        throw wrongType(i, "String");
    }

    ObjectValue object(int i) {
        if (values.get(i) instanceof ObjectValue o) return o;
        throw wrongType(i, "Object");
    }

    ArrayValue array(int i) {
        if (values.get(i) instanceof ArrayValue a) return a;
        throw wrongType(i, "Array");
    }

    boolean bool(int i) {
        if (values.get(i) instanceof BoolValue b) return b.value();
        throw wrongType(i, "Boolean");
    }
}
