package io.eddy.fql.interp;

import io.eddy.fql.ast.Expr;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The variables a lambda uses but does not bind: what a closure must carry when it is encoded into a
 * cursor or token.
 */
final class FreeVariables {
    private FreeVariables() {}

    static Set<String> of(Expr.Lambda lambda) {
        Set<String> out = new LinkedHashSet<>();
        walk(lambda, new HashSet<>(), out);
        return out;
    }

    private static void walk(Expr e, Set<String> bound, Set<String> out) {
        switch (e) {
            case Expr.Literal l -> { }
            case Expr.Var v -> {
                if (!bound.contains(v.name())) out.add(v.name());
            }
            case Expr.Interpolated s -> s.parts().forEach(p -> walk(p, bound, out));
            case Expr.ArrayLit a -> a.elements().forEach(x -> walk(x, bound, out));
            case Expr.ObjectLit o -> o.entries().forEach(x -> walk(x.value(), bound, out));
            case Expr.Field f -> walk(f.target(), bound, out);
            case Expr.Index i -> {
                walk(i.target(), bound, out);
                walk(i.index(), bound, out);
            }
            case Expr.Call c -> {
                walk(c.callee(), bound, out);
                c.args().forEach(a -> walk(a, bound, out));
            }
            case Expr.Binary b -> {
                walk(b.left(), bound, out);
                walk(b.right(), bound, out);
            }
            case Expr.Unary u -> walk(u.operand(), bound, out);
            case Expr.NonNull n -> walk(n.operand(), bound, out);
            case Expr.Lambda l -> {
                Set<String> inner = new HashSet<>(bound);
                inner.addAll(l.params());
                walk(l.body(), inner, out);
            }
            case Expr.If i -> {
                walk(i.cond(), bound, out);
                walk(i.then(), bound, out);
                if (i.otherwise() != null) walk(i.otherwise(), bound, out);
            }
            case Expr.Block b -> {
                Set<String> inner = new HashSet<>(bound);
                for (Expr s : b.statements()) {
                    if (s instanceof Expr.Let let) {
                        walk(let.value(), inner, out);
                        inner.add(let.name());
                    } else {
                        walk(s, inner, out);
                    }
                }
            }
            case Expr.Let l -> walk(l.value(), bound, out);
            case Expr.Projection p -> {
                walk(p.target(), bound, out);
                Set<String> inner = new HashSet<>(bound);
                inner.add(Expr.IMPLICIT);
                p.fields().forEach(f -> walk(f.value(), inner, out));
            }
        }
    }
}
