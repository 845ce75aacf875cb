package io.eddy.fql.interp;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.txn.IndexEntry;
import io.eddy.core.txn.Scan;
import io.eddy.core.value.*;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Iterates lazy sets: opens the source at a resume point and pulls elements through the pipeline.
 *
 * <p>Resumption: for pipelines of only {@code where} and {@code map} every element carries its source
 * position and a page ends at one; iteration resumes directly after it. Any other pipeline resumes by
 * re-running from the start and skipping the elements already returned.
 */
final class SetExecutor {
    private final Interpreter interp;
    private final DocumentFunctions docs;

    SetExecutor(Interpreter interp, DocumentFunctions docs) {
        this.interp = interp;
        this.docs = docs;
    }

    /** An element and the source position it came from (null when it has none). */
    record Element(Value value, Object position) {}

    /** Where iteration (re)starts: after a source position, then skipping {@code skip} elements. */
    record Resume(Object afterPosition, long skip) {
        static final Resume START = new Resume(null, 0);
    }

    /** A pull cursor; {@link #next()} returns null at the end. */
    interface Cursor extends AutoCloseable {
        Element next();

        @Override
        default void close() {}
    }

    /** A materialized page and where the next page starts (null when this was the last). */
    record Page(List<Value> elements, Resume next) {}

    Cursor open(SetValue set, Resume resume, Span span) {
        Cursor c = source(set.source(), set.resumableBySourcePosition() ? resume.afterPosition() : null, span);
        for (SetOp op : set.ops()) c = apply(c, op, span);
        long skip = resume.skip();
        if (skip > 0) {
            Cursor inner = c;
            c = new Cursor() {
                long toSkip = skip;
                public Element next() {
                    while (toSkip > 0) {
                        if (inner.next() == null) return null;
                        toSkip--;
                    }
                    return inner.next();
                }
                public void close() { inner.close(); }
            };
        }
        return c;
    }

    Page page(SetValue set, Resume resume, int size, Span span) {
        List<Value> out = new ArrayList<>(Math.min(size, 1024));
        try (Cursor c = open(set, resume, span)) {
            Element last = null;
            while (out.size() < size) {
                Element e = c.next();
                if (e == null) return new Page(out, null);
                out.add(e.value());
                last = e;
            }
            if (c.next() == null) return new Page(out, null);
            Resume next = set.resumableBySourcePosition() && last != null && last.position() != null
                    ? new Resume(last.position(), 0)
                    : new Resume(resume.afterPosition(), resume.skip() + out.size());
            return new Page(out, next);
        }
    }

    List<Value> toList(SetValue set, Span span) {
        List<Value> out = new ArrayList<>();
        try (Cursor c = open(set, Resume.START, span)) {
            for (Element e = c.next(); e != null; e = c.next()) out.add(e.value());
        }
        return out;
    }

    private Cursor source(SetSource source, Object after, Span span) {
        return switch (source) {
            case SetSource.CollectionScan s -> {
                CollectionDef def = collection(s.coll(), span);
                // A range starts just before its least id (ids are positive: "0" precedes them all).
                String start = after != null ? (String) after
                        : s.fromId() != null ? Long.toString(Long.parseLong(s.fromId()) - 1) : null;
                long last = s.toId() != null ? Long.parseLong(s.toId()) : Long.MAX_VALUE;
                Scan<DocumentValue> scan = interp.ctx().txn().scan(def, start);
                yield new Cursor() {
                    public Element next() {
                        DocumentValue d = scan.next();
                        if (d == null || Long.parseLong(d.id()) > last) return null;
                        interp.ctx().countRead();
                        interp.ctx().step(span);
                        return new Element(d, d.id());
                    }
                    public void close() { scan.close(); }
                };
            }
            case SetSource.IndexRange r -> {
                CollectionDef def = collection(r.coll(), span);
                IndexDef idx = def.indexes().get(r.index());
                if (idx == null) {
                    throw new QueryException("invalid_index_invocation", "The index `" + r.index()
                            + "` does not exist on collection `" + r.coll() + "`.", span);
                }
                Scan<IndexEntry> scan = interp.ctx().txn().scanIndex(def, idx, r.terms(), r.from(), r.to(), (byte[]) after);
                yield new Cursor() {
                    public Element next() {
                        while (true) {
                            IndexEntry e = scan.next();
                            if (e == null) return null;
                            interp.ctx().step(span);
                            Value d = docs.read(r.coll(), e.docId());
                            if (d instanceof DocumentValue) return new Element(d, e.position());
                        }
                    }
                    public void close() { scan.close(); }
                };
            }
            case SetSource.Elements e -> listCursor(e.values(), after);
            case SetSource.Single s -> listCursor(List.of(s.value()), after);
            case SetSource.Sequence q -> new Cursor() {
                long next = after == null ? q.from() : ((Number) after).longValue() + 1;
                public Element next() {
                    if (next >= q.until()) return null;
                    interp.ctx().step(span);
                    long v = next++;
                    return new Element(Arith.integer(v, false), v);
                }
            };
            case SetSource.CollectionDefs d -> {
                List<String> names = new ArrayList<>(interp.ctx().txn().collections().keySet());
                names.removeIf(Builtins.MODULES::contains); // system collections (Key) are not user collections
                Collections.sort(names);
                List<Value> defs = new ArrayList<>();
                for (String n : names) defs.add(CollectionFunctions.render(interp.ctx().txn().collection(n)));
                yield listCursor(defs, after);
            }
        };
    }

    private Cursor listCursor(List<Value> values, Object after) {
        return new Cursor() {
            int i = after == null ? 0 : ((Number) after).intValue() + 1;
            public Element next() {
                if (i >= values.size()) return null;
                int at = i++;
                return new Element(values.get(at), (long) at);
            }
        };
    }

    private CollectionDef collection(String name, Span span) {
        CollectionDef def = interp.ctx().txn().collection(name);
        if (def == null) throw new QueryException("invalid_argument", "Collection `" + name + "` does not exist.", span);
        return def;
    }

    private Cursor apply(Cursor in, SetOp op, Span span) {
        return switch (op) {
            case SetOp.Where w -> new Cursor() {
                public Element next() {
                    for (Element e = in.next(); e != null; e = in.next()) {
                        if (test(w.predicate(), e.value(), span)) return e;
                    }
                    return null;
                }
                public void close() { in.close(); }
            };
            case SetOp.MapOp m -> new Cursor() {
                public Element next() {
                    Element e = in.next();
                    return e == null ? null : new Element(interp.call(m.fn(), List.of(e.value()), span), e.position());
                }
                public void close() { in.close(); }
            };
            case SetOp.FlatMap f -> new Cursor() {
                Cursor inner;
                public Element next() {
                    while (true) {
                        if (inner != null) {
                            Element e = inner.next();
                            if (e != null) return new Element(e.value(), null);
                            inner.close();
                            inner = null;
                        }
                        Element outer = in.next();
                        if (outer == null) return null;
                        Value v = interp.call(f.fn(), List.of(outer.value()), span);
                        if (v instanceof SetValue s) inner = open(s, Resume.START, span);
                        else if (v instanceof ArrayValue a) inner = listCursor(a.elements(), null);
                        else throw QueryException.invalidArgument("`flatMap` expects the function to return a Set or an Array but it returned "
                                + Builtins.typeOf(v) + ".", span);
                    }
                }
                public void close() {
                    if (inner != null) inner.close();
                    in.close();
                }
            };
            case SetOp.Take t -> new Cursor() {
                long left = t.n();
                public Element next() {
                    if (left <= 0) return null;
                    left--;
                    return in.next();
                }
                public void close() { in.close(); }
            };
            case SetOp.Drop d -> new Cursor() {
                long skip = d.n();
                public Element next() {
                    while (skip > 0) {
                        skip--;
                        if (in.next() == null) return null;
                    }
                    return in.next();
                }
                public void close() { in.close(); }
            };
            case SetOp.Order o -> materialized(in, list -> Orderings.sort(interp, list, o.orderings(), span));
            case SetOp.Reverse r -> materialized(in, Collections::reverse);
            case SetOp.Distinct d -> materialized(in, list -> {
                TreeSet<Value> seen = new TreeSet<>(Compare::compare);
                list.removeIf(v -> !seen.add(v));
            });
            case SetOp.Concat c -> new Cursor() {
                Cursor second;
                public Element next() {
                    if (second == null) {
                        Element e = in.next();
                        if (e != null) return new Element(e.value(), null);
                        second = open(c.other(), Resume.START, span);
                    }
                    Element e = second.next();
                    return e == null ? null : new Element(e.value(), null);
                }
                public void close() {
                    in.close();
                    if (second != null) second.close();
                }
            };
        };
    }

    private interface ListTransform {
        void apply(List<Value> values);
    }

    private Cursor materialized(Cursor in, ListTransform transform) {
        List<Value> all = new ArrayList<>();
        try (in) {
            for (Element e = in.next(); e != null; e = in.next()) all.add(e.value());
        }
        transform.apply(all);
        return new Cursor() {
            int i;
            public Element next() { return i < all.size() ? new Element(all.get(i++), null) : null; }
        };
    }

    boolean test(FunctionValue predicate, Value v, Span span) {
        Value r = interp.call(predicate, List.of(v), span);
        if (r instanceof BoolValue b) return b.value();
        if (r == NullValue.NULL) return false;
        throw QueryException.typeMismatch("The predicate must return a Boolean but returned " + Builtins.typeOf(r) + ".", span);
    }
}
