package io.eddy.fql.runtime;

import io.eddy.core.value.Value;
import io.eddy.fql.ast.Expr;
import java.util.List;

/** An FQL function: a closure over FQL source, or a built-in. */
public sealed interface FunctionValue extends Value {

    @Override default String typeName() { return "Function"; }

    /** Number of parameters, or -1 for variadic built-ins. */
    int arity();

    /** A lambda with the scope it was created in. */
    record Closure(Expr.Lambda lambda, Env env) implements FunctionValue {
        @Override public int arity() { return lambda.params().size(); }
        @Override public String toString() { return "[function <lambda>]"; }
    }

    /** A built-in function used as a value (e.g. {@code Math.abs} passed to {@code map}). */
    record Native(String name, int arity, Body body) implements FunctionValue {
        @Override public String toString() { return "[function " + name + "()]"; }
    }

    @FunctionalInterface
    interface Body {
        Value apply(List<Value> args);
    }
}
