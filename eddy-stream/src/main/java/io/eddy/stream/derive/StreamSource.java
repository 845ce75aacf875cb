package io.eddy.stream.derive;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexField;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.Value;
import io.eddy.fql.interp.Compare;
import io.eddy.fql.runtime.EventSourceDef;
import io.eddy.fql.runtime.FieldPath;
import io.eddy.fql.runtime.SetSource;
import java.util.ArrayList;
import java.util.List;

/**
 * An event source resolved against the schema: which collection it watches (by name and by id), the
 * index (with its term and value fields) for index sources, the document id for {@code Set.single},
 * the watched fields for {@code changesOn}, and the commit time of the query that created the token.
 *
 * <p>A token names its collection and index by name, as an FQL query does; {@link #resolve} binds
 * them to the definitions the schema holds now, as Fauna evaluates a token's set again for every
 * stream and feed request. The source is then bound to those definitions: records of an earlier
 * collection of the same name are not its events, and a live stream whose collection or index is
 * replaced ends ({@link #staleIn}), since its events would be derived from a definition that no
 * longer exists.
 *
 * @param collId the id of the collection the source was resolved against
 * @param index the index definition for index sources, else null
 * @param singleId the document id for {@code Set.single} sources, else null
 * @param leadingEquality for collection sources, the field equality every member must meet first, if
 *     any: the dispatcher routes by it
 */
public record StreamSource(EventSourceDef def, long createdTs, String coll, long collId, IndexDef index,
                           String singleId, LeadingEquality leadingEquality) {

    /** {@link #contains} reads the token's terms by the index's term fields: their counts must agree. */
    public StreamSource {
        int given = def.set().source() instanceof SetSource.IndexRange r ? r.terms().size() : 0;
        if (index != null && index.terms().size() != given) {
            throw new IllegalArgumentException("the index " + index.name() + " takes " + index.terms().size()
                    + " terms, the source has " + given);
        }
    }

    /**
     * Why a source does not resolve against the schema: the error an evaluation of the token's set
     * would raise now, in the engine's words.
     */
    public static final class Unresolved extends Exception {
        Unresolved(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether a decoded source is of a kind {@link #resolve} takes (what {@code toStream()} accepts). */
    public static boolean isStreamable(EventSourceDef def) {
        return switch (def.set().source()) {
            case SetSource.CollectionScan c -> true;
            case SetSource.IndexRange r -> true;
            case SetSource.Single s -> s.value() instanceof DocumentValue || s.value() instanceof DocRefValue;
            default -> false;
        };
    }

    /**
     * Resolves a decoded source against the schema {@code txn} sees: its collection must exist; an
     * index source's index must exist and take as many terms as the token holds (an index dropped and
     * created again with other terms would otherwise be matched against the wrong values), and the
     * fields a {@code changesOn} index source watches must still be covered by it.
     *
     * @throws Unresolved when the source no longer evaluates
     * @throws IllegalArgumentException for a source that is not {@link #isStreamable}
     */
    public static StreamSource resolve(EventSourceDef def, long createdTs, Transaction txn) throws Unresolved {
        String coll = switch (def.set().source()) {
            case SetSource.CollectionScan c -> c.coll();
            case SetSource.IndexRange r -> r.coll();
            case SetSource.Single s when s.value() instanceof DocumentValue d -> d.coll();
            case SetSource.Single s when s.value() instanceof DocRefValue d -> d.coll();
            default -> throw new IllegalArgumentException("not a streamable source: " + def.set().source());
        };
        CollectionDef collection = txn.collection(coll);
        if (collection == null) throw new Unresolved("Collection `" + coll + "` does not exist.");
        long collId = collection.collId();
        return switch (def.set().source()) {
            case SetSource.CollectionScan c -> new StreamSource(def, createdTs, coll, collId, null, null, LeadingEquality.of(def.set()));
            case SetSource.IndexRange r -> new StreamSource(def, createdTs, coll, collId, index(collection, r, def), null, null);
            case SetSource.Single s -> new StreamSource(def, createdTs, coll, collId, null,
                    s.value() instanceof DocumentValue d ? d.id() : ((DocRefValue) s.value()).id(), null);
            default -> throw new IllegalArgumentException("not a streamable source: " + def.set().source());
        };
    }

    /** The current definition of an index source's index, checked against the token (the engine's words). */
    private static IndexDef index(CollectionDef collection, SetSource.IndexRange r, EventSourceDef def) throws Unresolved {
        IndexDef idx = collection.indexes().get(r.index());
        if (idx == null) {
            throw new Unresolved("The index `" + r.index() + "` does not exist on collection `" + r.coll() + "`.");
        }
        int terms = idx.terms().size(), given = r.terms().size();
        if (terms != given) {
            throw new Unresolved("The index `" + r.coll() + "." + idx.name() + "` expects " + terms + " term"
                    + (terms == 1 ? "" : "s") + (idx.values().isEmpty() ? "" : " and an optional range")
                    + " but was called with " + given + " argument" + (given == 1 ? "" : "s") + ".");
        }
        String uncovered = FieldPath.notCoveredMessage(idx, def.watchedFields());
        if (uncovered != null) throw new Unresolved(uncovered);
        return idx;
    }

    /**
     * Null while the schema {@code txn} sees still holds the definitions this source was resolved
     * against: its collection under its name, with the same id, and for an index source the same index
     * (an index whose terms or values change gets a new id). Otherwise why not: the error a new request
     * with the token would get, or, when the token still resolves but to other definitions, that the
     * source was replaced.
     */
    public String staleIn(Transaction txn) {
        StreamSource now;
        try {
            now = resolve(def, createdTs, txn);
        } catch (Unresolved e) {
            return e.getMessage();
        }
        if (now.collId != collId) {
            return "Collection `" + coll + "` was deleted and created again since the stream started.";
        }
        if (index != null && now.index.indexId() != index.indexId()) {
            return "The index `" + coll + "." + index.name() + "` was changed since the stream started.";
        }
        return null;
    }

    /** Whether two sources are bound to the same definitions (collection and index ids). */
    public boolean sameDefinitions(StreamSource other) {
        return collId == other.collId && (index == null ? other.index == null
                : other.index != null && index.indexId() == other.index.indexId());
    }

    /** The index terms the token was created with, for index sources. */
    public List<Value> terms() {
        return def.set().source() instanceof SetSource.IndexRange r ? r.terms() : List.of();
    }

    /** Whether a document version belongs to the source set before the pipeline's {@code where} steps. */
    public boolean contains(DocumentValue doc) {
        if (doc == null || !doc.coll().equals(coll)) return false;
        if (singleId != null) return singleId.equals(doc.id());
        if (index != null) {
            List<Value> want = terms();
            List<IndexField> fields = index.terms();
            for (int i = 0; i < fields.size(); i++) {
                if (!Compare.equal(fieldValue(doc, fields.get(i).path()), want.get(i))) return false;
            }
        }
        return true;
    }

    /** Whether any field the index covers (terms and values) differs between two versions. */
    public boolean coveredFieldChanged(DocumentValue before, DocumentValue after) {
        if (index == null) return true;
        for (IndexField f : index.terms()) if (changed(before, after, f.path())) return true;
        for (IndexField f : index.values()) if (changed(before, after, f.path())) return true;
        return false;
    }

    /** For {@code changesOn}: whether any watched field differs between two versions. */
    public boolean watchedFieldChanged(DocumentValue before, DocumentValue after) {
        for (FieldPath path : def.watchedFields()) if (changed(fieldValue(before, path), fieldValue(after, path))) return true;
        return false;
    }

    /** For {@code changesOn}: whether a version has any watched field. */
    public boolean hasWatchedField(DocumentValue doc) {
        for (FieldPath path : def.watchedFields()) if (fieldValue(doc, path) != NullValue.NULL) return true;
        return false;
    }

    private static boolean changed(DocumentValue a, DocumentValue b, List<String> path) {
        return changed(fieldValue(a, path), fieldValue(b, path));
    }

    private static boolean changed(Value x, Value y) {
        // Structural equality, but 1 and 1.0 differ: a type change is a change.
        return !Compare.equal(x, y) || !x.getClass().equals(y.getClass());
    }

    /** The value at a watched path ({@code .price}, {@code .baz[0]}): missing fields and elements are null. */
    public static Value fieldValue(DocumentValue doc, FieldPath path) {
        if (doc == null) return NullValue.NULL;
        List<String> names = path.names();
        return names != null ? fieldValue(doc, names) : path.valueIn(doc.data());
    }

    /** The value at a field path, as an index sees it: missing fields are null. */
    public static Value fieldValue(DocumentValue doc, List<String> path) {
        if (doc == null) return NullValue.NULL;
        if (path.size() == 1) {
            switch (path.get(0)) {
                case "id" -> { return new io.eddy.core.value.IdValue(doc.id()); }
                case "ts" -> { return io.eddy.core.value.TimeValue.ofMicros(doc.ts()); }
                default -> { }
            }
        }
        Value cur = doc.data();
        for (String seg : path) {
            if (!(cur instanceof ObjectValue o)) return NullValue.NULL;
            cur = o.get(seg);
        }
        return cur;
    }

    /** Term values of a version under this source's index (for routing), or null for non-index sources. */
    public static List<Value> termsOf(IndexDef index, DocumentValue doc) {
        List<Value> out = new ArrayList<>(index.terms().size());
        for (IndexField f : index.terms()) out.add(fieldValue(doc, f.path()));
        return out;
    }
}
