package io.eddy.fql.parse;

import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.SourceText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Generic, non-recursive walks over {@link Expr} trees. */
final class ExprTree {
    private ExprTree() {}

    /** The direct sub-expressions of {@code e}, in source order. */
    static List<Expr> children(Expr e) {
        return switch (e) {
            case Expr.Literal l -> List.of();
            case Expr.Var v -> List.of();
            case Expr.Interpolated i -> i.parts();
            case Expr.ArrayLit a -> a.elements();
            case Expr.ObjectLit o -> o.entries().stream().map(Expr.ObjectLit.Entry::value).toList();
            case Expr.Field f -> List.of(f.target());
            case Expr.Index i -> List.of(i.target(), i.index());
            case Expr.Call c -> {
                List<Expr> all = new ArrayList<>(c.args().size() + 1);
                all.add(c.callee());
                all.addAll(c.args());
                yield all;
            }
            case Expr.Binary b -> List.of(b.left(), b.right());
            case Expr.Unary u -> List.of(u.operand());
            case Expr.NonNull n -> List.of(n.operand());
            case Expr.Lambda l -> List.of(l.body());
            case Expr.If i -> i.otherwise() == null
                    ? List.of(i.cond(), i.then())
                    : List.of(i.cond(), i.then(), i.otherwise());
            case Expr.Block b -> b.statements();
            case Expr.Let l -> List.of(l.value());
            case Expr.Projection p -> {
                List<Expr> all = new ArrayList<>(p.fields().size() + 1);
                all.add(p.target());
                for (Expr.Projection.ProjField f : p.fields()) all.add(f.value());
                yield all;
            }
        };
    }

    /**
     * Fails with "Query is nested too deeply" at the first node deeper than {@code limit}. Long
     * left-associative chains ({@code a + b + ...}, {@code x.f().g()...}) are parsed by loops, not
     * recursion, yet yield tall trees that recursive consumers such as the evaluator must walk.
     */
    static void checkHeight(Expr root, int limit, SourceText source) {
        Deque<Expr> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            Expr e = nodes.pop();
            int depth = depths.pop();
            if (depth > limit) throw new FqlSyntaxException(NestingGuard.TOO_DEEP, e.span(), source);
            for (Expr child : children(e)) {
                nodes.push(child);
                depths.push(depth + 1);
            }
        }
    }
}
