package io.eddy.fql.interp;

import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks done before a query runs, reported as {@code invalid_query} like Fauna's validation: every
 * variable must be bound by a {@code let}, a parameter, an argument or a global name (a built-in module
 * or function, or a collection that exists at the query's snapshot).
 */
public final class StaticCheck {
    private StaticCheck() {}

    /** One failed check, with the place it refers to. */
    public record Problem(String message, Span span) {}

    public static List<Problem> check(Expr query, Set<String> arguments, Predicate<String> isCollection) {
        List<Problem> problems = new ArrayList<>();
        Set<String> bound = new HashSet<>(arguments);
        walk(query, bound, isCollection, problems);
        return problems;
    }

    private static void walk(Expr e, Set<String> bound, Predicate<String> isCollection, List<Problem> out) {
        switch (e) {
            case Expr.Literal l -> { }
            case Expr.Var v -> {
                String n = v.name();
                if (!bound.contains(n) && !Builtins.MODULES.contains(n) && !Builtins.FUNCTIONS.contains(n) && !isCollection.test(n)) {
                    out.add(new Problem("Unbound variable `" + n + "`", v.span()));
                }
            }
            case Expr.Interpolated s -> s.parts().forEach(p -> walk(p, bound, isCollection, out));
            case Expr.ArrayLit a -> a.elements().forEach(x -> walk(x, bound, isCollection, out));
            case Expr.ObjectLit o -> o.entries().forEach(x -> walk(x.value(), bound, isCollection, out));
            case Expr.Field f -> walk(f.target(), bound, isCollection, out);
            case Expr.Index i -> {
                walk(i.target(), bound, isCollection, out);
                walk(i.index(), bound, isCollection, out);
            }
            case Expr.Call c -> {
                walk(c.callee(), bound, isCollection, out);
                c.args().forEach(a -> walk(a, bound, isCollection, out));
            }
            case Expr.Binary b -> {
                walk(b.left(), bound, isCollection, out);
                walk(b.right(), bound, isCollection, out);
            }
            case Expr.Unary u -> walk(u.operand(), bound, isCollection, out);
            case Expr.NonNull n -> walk(n.operand(), bound, isCollection, out);
            case Expr.Lambda l -> {
                Set<String> inner = new HashSet<>(bound);
                inner.addAll(l.params());
                walk(l.body(), inner, isCollection, out);
            }
            case Expr.If i -> {
                walk(i.cond(), bound, isCollection, out);
                walk(i.then(), bound, isCollection, out);
                if (i.otherwise() != null) walk(i.otherwise(), bound, isCollection, out);
            }
            case Expr.Block b -> {
                Set<String> inner = new HashSet<>(bound);
                for (Expr s : b.statements()) {
                    if (s instanceof Expr.Let let) {
                        walk(let.value(), inner, isCollection, out);
                        inner.add(let.name());
                    } else {
                        walk(s, inner, isCollection, out);
                    }
                }
            }
            case Expr.Let l -> walk(l.value(), bound, isCollection, out);
            case Expr.Projection p -> {
                walk(p.target(), bound, isCollection, out);
                Set<String> inner = new HashSet<>(bound);
                inner.add(Expr.IMPLICIT);
                p.fields().forEach(f -> walk(f.value(), inner, isCollection, out));
            }
        }
    }
}
