package io.eddy.fql.parse;

import io.eddy.fql.api.TemplateNode;
import io.eddy.fql.ast.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parses driver templates, reusing the tree of an earlier query with the same text. Drivers send the
 * same few query shapes over and over with different interpolated values ({@code Doc.create(${doc})}):
 * the flattened text of such a template is the same each time (a document, object or array value
 * reads as {@code <value>}), so lexing and parsing it again is wasted work.
 *
 * <p>The key is the flattened text plus where its value slots are: the same text with a slot in a
 * different place (typed {@code 42} versus an interpolated {@code 42}) is another entry. On a hit the
 * cached tree gets this query's values: each literal that came from a slot (a {@link Expr.Literal}
 * whose span is the slot's, which only a slot's token produces) is replaced, along with the nodes
 * above it; everything else is shared. Trees are immutable, so sharing them between queries is safe.
 *
 * <p>Only successful parses are cached (errors are parsed again, to report them with this query's
 * text), texts longer than {@value #MAX_TEXT_CHARS} characters are never cached, and the cache is
 * emptied when it reaches {@value #MAX_ENTRIES} entries, so neither size nor count can grow without
 * bound. Thread-safe.
 */
public final class ParseCache {
    static final int MAX_ENTRIES = 1024;
    static final int MAX_TEXT_CHARS = 8 * 1024;

    private final Map<String, ParsedQuery> entries = new ConcurrentHashMap<>();

    public ParsedQuery parse(TemplateNode.Fql template) {
        TemplateFlattener.Flattened flat = TemplateFlattener.flatten(template);
        String text = flat.source().text();
        if (text.length() > MAX_TEXT_CHARS) {
            return Parser.parse(flat.source(), flat.slots());
        }
        String key = key(text, flat.slots());
        ParsedQuery cached = entries.get(key);
        if (cached != null) {
            return flat.slots().isEmpty() ? cached
                    : new ParsedQuery(new Substitution(flat.slots()).apply(cached.expr()), flat.source());
        }
        ParsedQuery parsed = Parser.parse(flat.source(), flat.slots());
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, parsed);
        return parsed;
    }

    int size() {
        return entries.size();
    }

    private static String key(String text, NavigableMap<Integer, ValueSlot> slots) {
        if (slots.isEmpty()) {
            return text;
        }
        StringBuilder key = new StringBuilder(text.length() + 8 * slots.size()).append(text).append('\0');
        for (ValueSlot slot : slots.values()) {
            key.append(slot.span().start()).append(':').append(slot.span().end()).append(',');
        }
        return key.toString();
    }

    /** Rebuilds a tree with this query's slot values; subtrees without slots are shared as they are. */
    private static final class Substitution {
        private final NavigableMap<Integer, ValueSlot> slots;

        Substitution(NavigableMap<Integer, ValueSlot> slots) {
            this.slots = slots;
        }

        Expr apply(Expr e) {
            return switch (e) {
                case Expr.Literal l -> {
                    ValueSlot slot = slots.get(l.span().start());
                    yield slot != null && slot.span().equals(l.span()) ? new Expr.Literal(slot.value(), l.span()) : l;
                }
                case Expr.Var v -> v;
                case Expr.Interpolated i -> {
                    List<Expr> parts = all(i.parts());
                    yield parts == i.parts() ? i : new Expr.Interpolated(parts, i.span());
                }
                case Expr.ArrayLit a -> {
                    List<Expr> elements = all(a.elements());
                    yield elements == a.elements() ? a : new Expr.ArrayLit(elements, a.span());
                }
                case Expr.ObjectLit o -> {
                    List<Expr.ObjectLit.Entry> entries = null;
                    for (int k = 0; k < o.entries().size(); k++) {
                        Expr.ObjectLit.Entry entry = o.entries().get(k);
                        Expr value = apply(entry.value());
                        if (value != entry.value() && entries == null) {
                            entries = new ArrayList<>(o.entries().subList(0, k));
                        }
                        if (entries != null) entries.add(value == entry.value() ? entry : new Expr.ObjectLit.Entry(entry.key(), value));
                    }
                    yield entries == null ? o : new Expr.ObjectLit(entries, o.span());
                }
                case Expr.Field f -> {
                    Expr target = apply(f.target());
                    yield target == f.target() ? f : new Expr.Field(target, f.name(), f.optional(), f.nameSpan(), f.span());
                }
                case Expr.Index x -> {
                    Expr target = apply(x.target()), index = apply(x.index());
                    yield target == x.target() && index == x.index() ? x : new Expr.Index(target, index, x.optional(), x.span());
                }
                case Expr.Call c -> {
                    Expr callee = apply(c.callee());
                    List<Expr> args = all(c.args());
                    yield callee == c.callee() && args == c.args() ? c : new Expr.Call(callee, args, c.optional(), c.span());
                }
                case Expr.Binary b -> {
                    Expr left = apply(b.left()), right = apply(b.right());
                    yield left == b.left() && right == b.right() ? b : new Expr.Binary(b.op(), left, right, b.span());
                }
                case Expr.Unary u -> {
                    Expr operand = apply(u.operand());
                    yield operand == u.operand() ? u : new Expr.Unary(u.op(), operand, u.span());
                }
                case Expr.NonNull n -> {
                    Expr operand = apply(n.operand());
                    yield operand == n.operand() ? n : new Expr.NonNull(operand, n.span());
                }
                case Expr.Lambda l -> {
                    Expr body = apply(l.body());
                    yield body == l.body() ? l : new Expr.Lambda(l.params(), body, l.span());
                }
                case Expr.If i -> {
                    Expr cond = apply(i.cond()), then = apply(i.then());
                    Expr otherwise = i.otherwise() == null ? null : apply(i.otherwise());
                    yield cond == i.cond() && then == i.then() && otherwise == i.otherwise() ? i
                            : new Expr.If(cond, then, otherwise, i.span());
                }
                case Expr.Block b -> {
                    List<Expr> statements = all(b.statements());
                    yield statements == b.statements() ? b : new Expr.Block(statements, b.span());
                }
                case Expr.Let l -> {
                    Expr value = apply(l.value());
                    yield value == l.value() ? l : new Expr.Let(l.name(), value, l.span());
                }
                case Expr.Projection p -> {
                    Expr target = apply(p.target());
                    List<Expr.Projection.ProjField> fields = null;
                    for (int k = 0; k < p.fields().size(); k++) {
                        Expr.Projection.ProjField field = p.fields().get(k);
                        Expr value = apply(field.value());
                        if (value != field.value() && fields == null) {
                            fields = new ArrayList<>(p.fields().subList(0, k));
                        }
                        if (fields != null) fields.add(value == field.value() ? field : new Expr.Projection.ProjField(field.name(), value));
                    }
                    yield target == p.target() && fields == null ? p
                            : new Expr.Projection(target, fields == null ? p.fields() : fields, p.span());
                }
            };
        }

        /** The list with each element substituted; the same list if none changed. */
        private List<Expr> all(List<Expr> list) {
            List<Expr> out = null;
            for (int k = 0; k < list.size(); k++) {
                Expr before = list.get(k), after = apply(before);
                if (after != before && out == null) {
                    out = new ArrayList<>(list.subList(0, k));
                }
                if (out != null) out.add(after);
            }
            return out == null ? list : out;
        }
    }
}
