package io.eddy.bench.peer;

import io.eddy.bench.workload.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * Which subscribers of the {@link LogicalRouter} a decoded row goes to: the router's side of the workload's
 * filters, evaluating on each changed row what subscriber i's Eddy stream evaluates on each write
 * ({@link Filter#source}). Done as a router built by hand on logical decoding would do it: F1 and F5 look
 * the owner up in a hash map, F4 the row id; F2 hands every row to every subscriber (the router encodes
 * it once); F3's predicate has no field to look up by, so each subscriber's predicate is evaluated on
 * every row, one by one.
 */
public sealed interface RowRouting {
    /** How many subscribers there are (numbered 0 to n - 1). */
    int subscribers();

    /** Hands {@code to} each subscriber {@code row} is for. */
    void route(PgOutputDecoder.Row row, IntConsumer to);

    /**
     * The routing of filter {@code f} for {@code m} subscribers (subscriber i owns {@code o<i>});
     * {@code ids} are the ids of F4's pre-created rows, subscriber i watching {@code ids[i]}.
     */
    static RowRouting of(Filter f, int m, String[] ids) {
        return switch (f) {
            case F1 -> ByColumn.owners(m);
            case F2 -> new Broadcast(m);
            case F3 -> {
                List<Predicate<PgOutputDecoder.Row>> predicates = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    int sub = i;
                    predicates.add(row -> {
                        String score = row.get("score");
                        return score != null && Filter.f3Matches(Integer.parseInt(score), sub, m);
                    });
                }
                yield new EachPredicate(List.copyOf(predicates));
            }
            case F4 -> ByColumn.ids(ids, m);
            case F5 -> new StatusChanges(ByColumn.owners(m));
        };
    }

    /**
     * F1 (column {@code owner}: subscriber i is the owner {@code o<i>}'s) and F4 (column {@code id}:
     * subscriber i watches one row): the row's value in {@code column} looked up in a hash map.
     */
    record ByColumn(String column, Map<String, Integer> subscriberOf) implements RowRouting {
        static ByColumn owners(int m) {
            Map<String, Integer> owners = new HashMap<>();
            for (int i = 0; i < m; i++) owners.put("o" + i, i);
            return new ByColumn("owner", Map.copyOf(owners));
        }

        static ByColumn ids(String[] ids, int m) {
            Map<String, Integer> byId = new HashMap<>();
            for (int i = 0; i < m; i++) byId.put(ids[i], i);
            return new ByColumn("id", Map.copyOf(byId));
        }

        @Override public int subscribers() { return subscriberOf.size(); }

        @Override
        public void route(PgOutputDecoder.Row row, IntConsumer to) {
            Integer sub = subscriberOf.get(row.get(column));
            if (sub != null) to.accept(sub);
        }
    }

    /** F2: every row to every subscriber. */
    record Broadcast(int subscribers) implements RowRouting {
        @Override
        public void route(PgOutputDecoder.Row row, IntConsumer to) {
            for (int i = 0; i < subscribers; i++) to.accept(i);
        }
    }

    /** F3: subscriber i's predicate, evaluated for every row. */
    record EachPredicate(List<Predicate<PgOutputDecoder.Row>> predicates) implements RowRouting {
        @Override public int subscribers() { return predicates.size(); }

        @Override
        public void route(PgOutputDecoder.Row row, IntConsumer to) {
            for (int i = 0; i < predicates.size(); i++) {
                if (predicates.get(i).test(row)) to.accept(i);
            }
        }
    }

    /**
     * F5, {@code byOwner(o<i>).changesOn(.status)}: routed by owner, an update only when it changed
     * {@code status} (which needs the old row: {@code REPLICA IDENTITY FULL}), an insert or delete only of a
     * row with a status, as Eddy's {@code changesOn} ignores updates that change no watched field and
     * documents without one.
     */
    record StatusChanges(ByColumn owners) implements RowRouting {
        @Override public int subscribers() { return owners.subscribers(); }

        @Override
        public void route(PgOutputDecoder.Row row, IntConsumer to) {
            String status = row.get("status"); // of a delete: the old row's
            boolean deliver = row.op() == 'U' ? !Objects.equals(row.old("status"), status) : status != null;
            if (deliver) owners.route(row, to);
        }
    }
}
