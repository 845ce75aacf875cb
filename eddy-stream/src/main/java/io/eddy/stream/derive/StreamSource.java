package io.eddy.stream.derive;

import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexField;
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
 * An event source resolved against the schema: which collection it watches, the index (with its term
 * and value fields) for index sources, the document id for {@code Set.single}, the watched fields for
 * {@code changesOn}, and the commit time of the query that created the token.
 *
 * @param index the index definition for index sources, else null
 * @param singleId the document id for {@code Set.single} sources, else null
 * @param leadingEquality for collection sources, the field equality every member must meet first, if
 *     any: the dispatcher routes by it
 */
public record StreamSource(EventSourceDef def, long createdTs, String coll, IndexDef index, String singleId,
                           LeadingEquality leadingEquality) {

    /** Resolves a decoded source; {@code index} must be the current definition of the source's index, if any. */
    public static StreamSource of(EventSourceDef def, long createdTs, IndexDef index) {
        return switch (def.set().source()) {
            case SetSource.CollectionScan c -> new StreamSource(def, createdTs, c.coll(), null, null, LeadingEquality.of(def.set()));
            case SetSource.IndexRange r -> new StreamSource(def, createdTs, r.coll(), index, null, null);
            case SetSource.Single s -> {
                if (s.value() instanceof DocumentValue d) yield new StreamSource(def, createdTs, d.coll(), null, d.id(), null);
                if (s.value() instanceof DocRefValue d) yield new StreamSource(def, createdTs, d.coll(), null, d.id(), null);
                throw new IllegalArgumentException("Set.single of a non-document");
            }
            default -> throw new IllegalArgumentException("not a streamable source: " + def.set().source());
        };
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
