package io.eddy.bench.workload;

/**
 * The subscriber filters of the workload, and for each, the Eddy event source of subscriber {@code i} of
 * {@code m} and the document write {@code n} sends. The PostgreSQL logical-decoding router evaluates the
 * same filters on decoded rows ({@code io.eddy.bench.peer.RowRouting}).
 */
public enum Filter {
    /** Equality on an indexed field: subscriber i watches {@code byOwner("o<i>")}; write n matches subscriber n mod M. */
    F1("equality on an indexed field"),
    /** Broadcast: every subscriber watches {@code Doc.all()}; every write matches every subscriber. */
    F2("broadcast"),
    /**
     * A non-indexable predicate: subscriber i watches {@code where(.score % M == i)}. It does not start with
     * a field equality, so no router can look it up by a field's value: every F3 stream's predicate is
     * evaluated for every write to the collection, which is the point of F3. Writes alternate by round
     * between score i (matches subscriber i alone) and {@link #F3_NO_MATCH}: half the writes are delivered,
     * once each.
     */
    F3("non-indexable predicate"),
    /** Point streams: {@code Set.single(Doc.byId(id_i))}; write n updates document n mod M. */
    F4("point stream"),
    /** Field-level: {@code byOwner("o<i>").changesOn(.status)}; write n updates document n mod M, changing status every other time. */
    F5("field-level (changesOn)");

    /**
     * F3's score that no subscriber matches: FQL's integer {@code %} is Java's (the result takes the
     * dividend's sign, {@code Arith} in eddy-fql), so -1 % M is -1, never a subscriber index, for M >= 2.
     */
    public static final int F3_NO_MATCH = -1;

    private final String label;

    Filter(String label) {
        this.label = label;
    }

    public String label() { return label; }

    /** True when writes are updates of M pre-created documents (one per subscriber). */
    public boolean updates() { return this == F4 || this == F5; }

    /**
     * The FQL event source of subscriber {@code i} of {@code m}; {@code ids} are the pre-created documents
     * for F4.
     */
    public String source(String coll, int i, int m, String[] ids) {
        return switch (this) {
            case F1 -> coll + ".byOwner(\"o" + i + "\").toStream()";
            case F2 -> coll + ".all().toStream()";
            case F3 -> {
                if (m < 2) throw new IllegalArgumentException("F3 needs at least 2 subscribers (every score % 1 is 0)");
                yield coll + ".where(.score % " + m + " == " + i + ").toStream()";
            }
            case F4 -> "Set.single(" + coll + ".byId(\"" + ids[i] + "\")).toStream()";
            case F5 -> coll + ".byOwner(\"o" + i + "\").changesOn(.status)";
        };
    }

    /** Whether a document with {@code score} matches F3 subscriber {@code i} of {@code m}: the predicate of {@link #source}. */
    public static boolean f3Matches(int score, int i, int m) {
        return score % m == i;
    }

    /**
     * The document of write {@code n} against {@code m} subscribers. {@code ids} are the pre-created
     * documents for updates.
     */
    public Doc doc(long n, int m, long sentNs, String[] ids) {
        int i = (int) (n % Math.max(1, m));
        return switch (this) {
            case F1, F2 -> new Doc("o" + i, "s" + (n & 3), (int) (n % 90), sentNs, null);
            case F3 -> new Doc("o" + i, "s" + (n & 3), (n / m) % 2 == 0 ? i : F3_NO_MATCH, sentNs, null);
            case F4 -> new Doc("o" + i, "s" + (n & 3), (int) (n % 90), sentNs, ids[i]);
            // status changes on even rounds only: odd rounds change score only and must not be delivered
            case F5 -> new Doc("o" + i, (n / m) % 2 == 0 ? "s" + n : null, (int) (n % 90), sentNs, ids[i]);
        };
    }

    /**
     * The deliveries writes {@code from} to {@code to - 1} make in all against {@code m} subscribers (for
     * loss accounting): F3's and F5's only in even rounds, so half of whole pairs of rounds, and exactly
     * counted for a part of one.
     */
    public long deliveries(long from, long to, int m) {
        return switch (this) {
            case F1, F4 -> to - from;
            case F2 -> (to - from) * m;
            case F3, F5 -> evenRoundWritesBefore(to, m) - evenRoundWritesBefore(from, m);
        };
    }

    /** How many of writes 0 to {@code n - 1} are in even rounds of {@code m}. */
    private static long evenRoundWritesBefore(long n, int m) {
        long pair = 2L * m;
        return n / pair * m + Math.min(n % pair, m);
    }
}
