package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.Env;
import io.eddy.fql.runtime.EventSourceDef;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Evaluates FQL expressions: a tree-walking interpreter over {@link Expr}. Strict (arguments are
 * evaluated before calls), with lazy {@link SetValue sets}. Method calls, field access and global
 * functions are delegated to {@link Builtins}.
 *
 * <p>Invariants: every user mistake surfaces as a {@link QueryException} placed at the offending
 * expression; evaluation depth is bounded ({@code stack_overflow}); the deadline is checked as
 * evaluation proceeds ({@code time_out}).
 */
public final class Interpreter {
    /** Nesting depth of evaluation (expressions and calls) before {@code stack_overflow}. */
    static final int MAX_DEPTH = 800;

    private final QueryContext ctx;
    private final Builtins builtins;
    private int depth;

    public Interpreter(QueryContext ctx) {
        this.ctx = ctx;
        this.builtins = new Builtins(this);
    }

    public QueryContext ctx() { return ctx; }

    public Value eval(Expr expr, Env env) {
        if (++depth > MAX_DEPTH) {
            depth = 0; // let the error propagate without tripping again on the way out
            throw new QueryException("stack_overflow", "Maximum evaluation depth exceeded.", expr.span());
        }
        try {
            ctx.step(expr.span());
            return evalInner(expr, env);
        } finally {
            depth = Math.max(0, depth - 1);
        }
    }

    private Value evalInner(Expr expr, Env env) {
        return switch (expr) {
            case Expr.Literal l -> l.value();
            case Expr.Var v -> lookup(v.name(), env, v.span());
            case Expr.Interpolated s -> {
                StringBuilder sb = new StringBuilder();
                for (Expr part : s.parts()) sb.append(Builtins.display(eval(part, env)));
                yield new StringValue(sb.toString());
            }
            case Expr.ArrayLit a -> {
                List<Value> out = new ArrayList<>(a.elements().size());
                for (Expr e : a.elements()) out.add(eval(e, env));
                yield new ArrayValue(out);
            }
            case Expr.ObjectLit o -> {
                LinkedHashMap<String, Value> out = new LinkedHashMap<>();
                for (Expr.ObjectLit.Entry e : o.entries()) out.put(e.key(), eval(e.value(), env));
                yield ObjectValue.ofOwned(out);
            }
            case Expr.Field f -> {
                Value target = eval(f.target(), env);
                if (f.optional() && Compare.isNullish(target)) yield NullValue.NULL;
                yield builtins.field(target, f.name(), f.nameSpan());
            }
            case Expr.Index i -> {
                Value target = eval(i.target(), env);
                if (i.optional() && Compare.isNullish(target)) yield NullValue.NULL;
                yield builtins.index(target, eval(i.index(), env), i.span());
            }
            case Expr.Call c -> evalCall(c, env);
            case Expr.Binary b -> evalBinary(b, env);
            case Expr.Unary u -> {
                Value v = eval(u.operand(), env);
                if (u.op().equals("!")) yield BoolValue.of(!bool(v, u.operand().span(), "!"));
                yield Arith.negate(v, u.span());
            }
            case Expr.NonNull n -> {
                Value v = eval(n.operand(), env);
                yield nonNull(v, n);
            }
            case Expr.Lambda l -> new FunctionValue.Closure(l, env);
            case Expr.If i -> {
                Value c = eval(i.cond(), env);
                if (bool(c, i.cond().span(), "if")) yield eval(i.then(), env);
                yield i.otherwise() == null ? NullValue.NULL : eval(i.otherwise(), env);
            }
            case Expr.Block b -> evalBlock(b, env);
            case Expr.Let l -> throw new QueryException("invalid_query", "A `let` must be followed by an expression.", l.span());
            case Expr.Projection p -> project(eval(p.target(), env), p, env);
        };
    }

    private Value evalBlock(Expr.Block b, Env env) {
        Value last = NullValue.NULL;
        Env scope = env;
        for (Expr stmt : b.statements()) {
            if (stmt instanceof Expr.Let let) {
                scope = scope.bind(let.name(), eval(let.value(), scope));
                last = NullValue.NULL;
            } else {
                last = eval(stmt, scope);
            }
        }
        return last;
    }

    private Value lookup(String name, Env env, Span span) {
        Value v = env.lookup(name);
        if (v != null) return v;
        Value global = builtins.global(name);
        if (global != null) return global;
        throw new QueryException("invalid_query", "Unbound variable `" + name + "`", span);
    }

    private Value evalCall(Expr.Call c, Env env) {
        if (c.callee() instanceof Expr.Field f) {
            Value target = eval(f.target(), env);
            if (f.optional() && Compare.isNullish(target)) return NullValue.NULL;
            List<Value> args = evalArgs(c.args(), env);
            return builtins.method(target, f.name(), args, c, f.nameSpan());
        }
        Value callee = eval(c.callee(), env);
        if (c.optional() && Compare.isNullish(callee)) return NullValue.NULL;
        List<Value> args = evalArgs(c.args(), env);
        return builtins.apply(callee, args, c);
    }

    private List<Value> evalArgs(List<Expr> args, Env env) {
        List<Value> out = new ArrayList<>(args.size());
        for (Expr a : args) out.add(eval(a, env));
        return out;
    }

    /** Calls an FQL function value with arguments. */
    public Value call(FunctionValue fn, List<Value> args, Span span) {
        return switch (fn) {
            case FunctionValue.Closure c -> {
                List<String> params = c.lambda().params();
                if (params.size() != args.size()) {
                    throw QueryException.invalidArgument("The function expects " + params.size() + " argument"
                            + (params.size() == 1 ? "" : "s") + " but was called with " + args.size() + ".", span);
                }
                Env scope = c.env();
                for (int i = 0; i < params.size(); i++) scope = scope.bind(params.get(i), args.get(i));
                if (++depth > MAX_DEPTH) {
                    depth = 0;
                    throw new QueryException("stack_overflow", "Maximum call depth exceeded.", span);
                }
                try {
                    yield eval(c.lambda().body(), scope);
                } finally {
                    depth = Math.max(0, depth - 1);
                }
            }
            case FunctionValue.Native n -> {
                if (n.arity() >= 0 && n.arity() != args.size()) {
                    throw QueryException.invalidArgument("The function `" + n.name() + "` expects " + n.arity()
                            + " argument" + (n.arity() == 1 ? "" : "s") + " but was called with " + args.size() + ".", span);
                }
                try {
                    yield n.body().apply(args);
                } catch (QueryException e) {
                    throw e.at(span);
                }
            }
        };
    }

    private Value evalBinary(Expr.Binary b, Env env) {
        String op = b.op();
        switch (op) {
            case "&&" -> {
                if (!bool(eval(b.left(), env), b.left().span(), op)) return BoolValue.FALSE;
                return BoolValue.of(bool(eval(b.right(), env), b.right().span(), op));
            }
            case "||" -> {
                if (bool(eval(b.left(), env), b.left().span(), op)) return BoolValue.TRUE;
                return BoolValue.of(bool(eval(b.right(), env), b.right().span(), op));
            }
            case "??" -> {
                Value l = eval(b.left(), env);
                return Compare.isNullish(l) ? eval(b.right(), env) : l;
            }
            default -> { }
        }
        Value l = eval(b.left(), env);
        Value r = eval(b.right(), env);
        return switch (op) {
            case "==" -> BoolValue.of(Compare.equal(l, r));
            case "!=" -> BoolValue.of(!Compare.equal(l, r));
            case "<", "<=", ">", ">=" -> {
                if (!Compare.comparable(l, r)) yield BoolValue.FALSE;
                int c = Compare.compare(l, r);
                yield BoolValue.of(switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                });
            }
            case "isa" -> BoolValue.of(builtins.isa(l, r, b.right().span()));
            default -> Arith.binary(op, l, r, b.span());
        };
    }

    boolean bool(Value v, Span span, String what) {
        if (v instanceof BoolValue b) return b.value();
        throw QueryException.typeMismatch("Expected a Boolean for `" + what + "` but found " + Builtins.typeOf(v) + ".", span);
    }

    private Value nonNull(Value v, Expr.NonNull n) {
        if (v instanceof NullDocumentValue nd) {
            if (nd.coll().equals("Collection")) {
                throw new QueryException("document_not_found", "Collection `" + nd.id() + "` not found.", n.span());
            }
            throw new QueryException("document_not_found",
                    "Collection `" + nd.coll() + "` does not contain document with id " + nd.id() + ".", n.span());
        }
        if (v == NullValue.NULL) {
            boolean fromSet = n.operand() instanceof Expr.Call c && c.callee() instanceof Expr.Field f
                    && (f.name().equals("first") || f.name().equals("last") || f.name().equals("firstWhere"));
            throw new QueryException("null_value", fromSet ? "Null value, due to empty set" : "Value is null.", n.span());
        }
        return v;
    }

    /** Applies a projection {@code target { ... }} to a value, a set or an array. */
    Value project(Value target, Expr.Projection p, Env env) {
        if (target instanceof EventSourceDef source) {
            // `set.toStream() { name, price }` shapes the events' data like the set's elements.
            return new EventSourceDef((SetValue) project(source.set(), p, env), source.watchedFields());
        }
        if (target instanceof SetValue s) {
            Expr.Projection onElement = new Expr.Projection(new Expr.Var(Expr.IMPLICIT, p.span()), p.fields(), p.span());
            Expr.Lambda fn = new Expr.Lambda(List.of(Expr.IMPLICIT), onElement, p.span());
            return s.with(new SetOp.MapOp(new FunctionValue.Closure(fn, env)));
        }
        if (target instanceof ArrayValue a) {
            List<Value> out = new ArrayList<>(a.size());
            for (Value e : a.elements()) out.add(project(e, p, env));
            return new ArrayValue(out);
        }
        if (Compare.isNullish(target)) return NullValue.NULL;
        Value subject = builtins.resolve(target);
        LinkedHashMap<String, Value> out = new LinkedHashMap<>();
        Env scope = env.bind(Expr.IMPLICIT, subject);
        for (Expr.Projection.ProjField f : p.fields()) out.put(f.name(), eval(f.value(), scope));
        return ObjectValue.ofOwned(out);
    }
}
