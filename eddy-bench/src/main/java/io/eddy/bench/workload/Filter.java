package io.eddy.bench.workload;

/**
 * The subscriber filters of the workload, and for each, the Eddy event source of subscriber {@code i} and
 * the document writer {@code n} sends.
 */
public enum Filter {
    /** Equality on an indexed field: subscriber i watches {@code byOwner("o<i>")}; write n matches subscriber n mod M. */
    F1("equality on an indexed field"),
    /** Broadcast: every subscriber watches {@code Doc.all()}; every write matches every subscriber. */
    F2("broadcast"),
    /** A non-indexable predicate: {@code where(.owner == "o<i>" && .score > 90)}; half the writes match one subscriber. */
    F3("non-indexable predicate"),
    /** Point streams: {@code Set.single(Doc.byId(id_i))}; write n updates document n mod M. */
    F4("point stream"),
    /** Field-level: {@code byOwner("o<i>").changesOn(.status)}; write n updates document n mod M, changing status every other time. */
    F5("field-level (changesOn)");

    private final String label;

    Filter(String label) {
        this.label = label;
    }

    public String label() { return label; }

    /** True when writes are updates of M pre-created documents (one per subscriber). */
    public boolean updates() { return this == F4 || this == F5; }

    /** The FQL event source of subscriber {@code i}; {@code ids} are the pre-created documents for F4. */
    public String source(String coll, int i, String[] ids) {
        return switch (this) {
            case F1 -> coll + ".byOwner(\"o" + i + "\").toStream()";
            case F2 -> coll + ".all().toStream()";
            case F3 -> coll + ".where(.owner == \"o" + i + "\" && .score > 90).toStream()";
            case F4 -> "Set.single(" + coll + ".byId(\"" + ids[i] + "\")).toStream()";
            case F5 -> coll + ".byOwner(\"o" + i + "\").changesOn(.status)";
        };
    }

    /**
     * The document of write {@code n} against {@code m} subscribers. {@code ids} are the pre-created
     * documents for updates.
     */
    public Doc doc(long n, int m, long sentNs, String[] ids) {
        int i = (int) (n % Math.max(1, m));
        return switch (this) {
            case F1, F2 -> new Doc("o" + i, "s" + (n & 3), (int) (n % 90), sentNs, null);
            case F3 -> new Doc("o" + i, "s" + (n & 3), (n / m) % 2 == 0 ? 95 : 10, sentNs, null);
            case F4 -> new Doc("o" + i, "s" + (n & 3), (int) (n % 90), sentNs, ids[i]);
            // status changes on even rounds only: odd rounds change score only and must not be delivered
            case F5 -> new Doc("o" + i, (n / m) % 2 == 0 ? "s" + n : null, (int) (n % 90), sentNs, ids[i]);
        };
    }

    /** Expected deliveries per write, on average (for loss accounting). */
    public double deliveriesPerWrite(int m) {
        return switch (this) {
            case F1, F4 -> 1.0;
            case F2 -> m;
            case F3, F5 -> 0.5;
        };
    }
}
