package io.eddy.fql.interp;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.txn.DocumentExistsException;
import io.eddy.core.value.*;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetValue;
import io.eddy.fql.runtime.ValueDepth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reading and writing documents: {@code byId}, {@code create}, {@code update}, {@code replace},
 * {@code delete}, {@code exists}, and the checks on what a document may hold.
 */
final class DocumentFunctions {
    /** Fields a user may never set: they are the document's identity and commit time. */
    private static final Set<String> RESERVED = Set.of("id", "coll", "ts");

    private final Interpreter interp;

    DocumentFunctions(Interpreter interp) {
        this.interp = interp;
    }

    /** The document, or a null document saying why there is none. */
    Value read(String coll, String id) {
        CollectionDef def = interp.ctx().txn().collection(coll);
        if (def == null) return new NullDocumentValue(coll, id, "collection deleted");
        if (KeyFunctions.isKey(coll)) interp.ctx().checkKeyAccess(null);
        interp.ctx().countRead();
        DocumentValue doc = interp.ctx().txn().get(def, id);
        return doc != null ? doc : new NullDocumentValue(coll, id, "not found");
    }

    /** Parses a document id argument: a numeric string or an integer. */
    static String parseId(Value v, Span span) {
        String s = switch (v) {
            case StringValue str -> str.value();
            case IntValue i -> Long.toString(i.value());
            case LongValue l -> Long.toString(l.value());
            default -> throw new QueryException("invalid_argument",
                    "invalid argument `id`: expected a String or Int id but found " + Builtins.typeOf(v) + ".", span);
        };
        try {
            long n = Long.parseLong(s);
            if (n <= 0 || !Long.toString(n).equals(s)) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new QueryException("invalid_argument",
                    "invalid argument `id`: `" + s + "` is not a valid document id; ids are positive 64-bit integers.", span);
        }
        return s;
    }

    Value create(CollectionDef def, ObjectValue data, Span span) {
        interp.ctx().checkWrite(span);
        String id = null;
        LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
        for (var e : data.fields().entrySet()) {
            if (e.getKey().equals("id")) {
                id = parseId(e.getValue(), span);
            } else {
                checkField(e.getKey(), span);
                fields.put(e.getKey(), storable(e.getValue(), e.getKey(), span));
            }
        }
        if (def.ttlDays() != null && !fields.containsKey("ttl")) {
            // The collection's default time to live, counted from the write.
            fields.put("ttl", new TimeValue(interp.ctx().now().plus(java.time.Duration.ofDays(def.ttlDays()))));
        }
        try {
            return interp.ctx().txn().create(def, id, ObjectValue.ofOwned(fields));
        } catch (DocumentExistsException e) {
            throw new QueryException("document_id_exists", "Document with id " + id + " already exists in the collection "
                    + def.name() + ".", span);
        }
    }

    Value onDocument(DocumentValue d, String name, Args args) {
        return switch (name) {
            case "update", "updateData" -> {
                args.count(1);
                ObjectValue patch = args.object(0);
                yield write(d, merge(d.data(), patch, args.span()), args.span());
            }
            case "replace", "replaceData" -> {
                args.count(1);
                ObjectValue data = args.object(0);
                LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
                for (var e : data.fields().entrySet()) {
                    checkField(e.getKey(), args.span());
                    fields.put(e.getKey(), storable(e.getValue(), e.getKey(), args.span()));
                }
                yield write(d, ObjectValue.ofOwned(fields), args.span());
            }
            case "delete" -> {
                args.count(0);
                if (KeyFunctions.isKey(d.coll())) KeyFunctions.checkWrite(interp.ctx(), null, args.span());
                interp.ctx().checkWrite(args.span());
                CollectionDef def = liveCollection(d.coll(), args.span());
                interp.ctx().txn().delete(def, d.id());
                yield new NullDocumentValue(d.coll(), d.id(), "deleted");
            }
            case "exists" -> {
                args.count(0);
                yield BoolValue.of(read(d.coll(), d.id()) instanceof DocumentValue);
            }
            default -> null;
        };
    }

    Value onNullDocument(NullDocumentValue n, String name, Args args, Span nameSpan) {
        if (name.equals("exists")) {
            args.count(0);
            return BoolValue.FALSE;
        }
        throw new QueryException("document_not_found",
                "Collection `" + n.coll() + "` does not contain document with id " + n.id() + ".", nameSpan);
    }

    private Value write(DocumentValue d, ObjectValue data, Span span) {
        if (KeyFunctions.isKey(d.coll())) KeyFunctions.checkWrite(interp.ctx(), data, span);
        interp.ctx().checkWrite(span);
        CollectionDef def = liveCollection(d.coll(), span);
        if (interp.ctx().txn().get(def, d.id()) == null) {
            throw new QueryException("document_not_found",
                    "Collection `" + d.coll() + "` does not contain document with id " + d.id() + ".", span);
        }
        return interp.ctx().txn().replace(def, d.id(), data);
    }

    private CollectionDef liveCollection(String coll, Span span) {
        CollectionDef def = interp.ctx().txn().collection(coll);
        if (def == null) throw new QueryException("invalid_argument", "Collection `" + coll + "` does not exist.", span);
        return def;
    }

    /** Fauna's update: fields in the patch replace existing ones, objects merge recursively, null removes. */
    ObjectValue merge(ObjectValue base, ObjectValue patch, Span span) {
        return merge(base, patch, span, 1);
    }

    private ObjectValue merge(ObjectValue base, ObjectValue patch, Span span, int level) {
        if (level > ValueDepth.MAX) throw ValueDepth.tooDeep("invalid_argument", "invalid argument `data`: the value", span);
        LinkedHashMap<String, Value> out = new LinkedHashMap<>(base.fields());
        for (var e : patch.fields().entrySet()) {
            String k = e.getKey();
            Value v = e.getValue();
            checkField(k, span);
            if (v == NullValue.NULL) {
                out.remove(k);
            } else if (v instanceof ObjectValue po && out.get(k) instanceof ObjectValue bo) {
                out.put(k, merge(bo, po, span, level + 1));
            } else {
                out.put(k, storable(v, k, span, level + 1));
            }
        }
        return ObjectValue.ofOwned(out);
    }

    private static void checkField(String name, Span span) {
        if (RESERVED.contains(name)) {
            throw new QueryException("invalid_argument",
                    "invalid argument `data`: the field `" + name + "` is reserved and cannot be written.", span);
        }
    }

    /** A value as it is stored: documents become references; sets and functions cannot be stored. */
    static Value storable(Value v, String field, Span span) {
        return storable(v, field, span, 2); // the document's data is level 1
    }

    private static Value storable(Value v, String field, Span span, int level) {
        if (level > ValueDepth.MAX && (v instanceof ArrayValue || v instanceof ObjectValue)) {
            throw ValueDepth.tooDeep("invalid_argument", "invalid argument `" + field + "`: the value", span);
        }
        return switch (v) {
            case DocumentValue d -> d.ref();
            case NullDocumentValue n -> new DocRefValue(n.coll(), n.id());
            // Stored, an id is the string it reads as (as it is once read back), also within this query.
            case IdValue id -> new StringValue(id.value());
            case ArrayValue a -> {
                List<Value> out = new ArrayList<>(a.size());
                for (Value e : a.elements()) out.add(storable(e, field, span, level + 1));
                yield new ArrayValue(out);
            }
            case ObjectValue o -> {
                LinkedHashMap<String, Value> out = new LinkedHashMap<>();
                for (var e : o.fields().entrySet()) out.put(e.getKey(), storable(e.getValue(), field, span, level + 1));
                yield ObjectValue.ofOwned(out);
            }
            case SetValue s -> throw new QueryException("invalid_argument", "invalid argument `" + field
                    + "`: a Set cannot be stored in a document; call `toArray()` or `paginate()` first.", span);
            case FunctionValue f -> throw new QueryException("invalid_argument", "invalid argument `" + field
                    + "`: a function cannot be stored in a document.", span);
            default -> {
                if (!v.isStorable()) {
                    throw new QueryException("invalid_argument", "invalid argument `" + field + "`: a value of type "
                            + Builtins.typeOf(v) + " cannot be stored in a document.", span);
                }
                yield v;
            }
        };
    }
}
