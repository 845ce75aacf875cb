package io.eddy.fql.runtime;

import io.eddy.core.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * A lazy FQL Set: a {@link SetSource} followed by a pipeline of {@link SetOp}s. Nothing is read until
 * the set is iterated or materialized into a page. Being pure data (functions are closures over ASTs),
 * a set can be encoded into a pagination cursor or an event-source token and rebuilt later.
 *
 * @param pageSize the page size chosen with {@code pageSize(n)}, or 0 for the default
 */
public record SetValue(SetSource source, List<SetOp> ops, int pageSize) implements Value {
    public static final int DEFAULT_PAGE_SIZE = 16;
    public static final int MAX_PAGE_SIZE = 16_000;

    public SetValue {
        ops = List.copyOf(ops);
    }

    public static SetValue of(SetSource source) {
        return new SetValue(source, List.of(), 0);
    }

    public SetValue with(SetOp op) {
        List<SetOp> next = new ArrayList<>(ops);
        next.add(op);
        return new SetValue(source, next, pageSize);
    }

    public SetValue withPageSize(int n) {
        return new SetValue(source, ops, n);
    }

    public int effectivePageSize() {
        return pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
    }

    /**
     * Whether elements map one-to-one onto source entries in source order (only {@code where} and
     * {@code map}), so iteration can resume at a source position instead of re-counting from the start.
     */
    public boolean resumableBySourcePosition() {
        for (SetOp op : ops) if (!(op instanceof SetOp.Where) && !(op instanceof SetOp.MapOp)) return false;
        return true;
    }

    @Override public String typeName() { return "Set"; }
}
