package io.eddy.fql.interp;

import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.CollectionSpec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexField;
import io.eddy.core.schema.IndexSpec;
import io.eddy.core.value.*;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.QueryException;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collections as values: methods of a user collection ({@code Product.all()}, {@code byId},
 * {@code create}, index calls), of the {@code Collection} module ({@code create}, {@code byName},
 * {@code all}), and of a collection's definition document ({@code update}, {@code delete}).
 */
final class CollectionFunctions {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Definition fields Eddy stores; the ones it does not enforce yet are listed in the README. */
    private static final Set<String> DEFINITION_FIELDS = Set.of("name", "alias", "indexes", "constraints", "fields",
            "computed_fields", "migrations", "history_days", "ttl_days", "document_ttls", "data", "wildcard");
    private static final Set<String> RESERVED_NAMES = Set.of("events", "self", "documents", "ts", "ttl", "data", "id", "coll");

    private final Interpreter interp;
    private final DocumentFunctions docs;

    CollectionFunctions(Interpreter interp, DocumentFunctions docs) {
        this.interp = interp;
        this.docs = docs;
    }

    boolean isCollection(ModuleValue m) {
        return !Builtins.MODULES.contains(m.name()) && interp.ctx().txn().collection(m.name()) != null;
    }

    Value moduleField(ModuleValue m, String name, Span span) {
        if (isCollection(m) && name.equals("definition")) return render(interp.ctx().txn().collection(m.name()));
        Value v = ModuleFunctions.constant(m, name);
        if (v != null) return v;
        throw new QueryException("invalid_argument", "Type `" + m.name() + "` does not have field `" + name + "`.", span);
    }

    Value onCollection(ModuleValue m, String name, Args args) {
        CollectionDef def = interp.ctx().txn().collection(m.name());
        return switch (name) {
            case "all" -> {
                if (args.size() == 0) yield SetValue.of(new SetSource.CollectionScan(def.name()));
                args.count(1);
                yield SetValue.of(documentRange(def, args));
            }
            case "where" -> SetValue.of(new SetSource.CollectionScan(def.name())).with(new SetOp.Where(args.count(1).fn(0)));
            case "firstWhere" -> {
                args.count(1);
                SetValue s = SetValue.of(new SetSource.CollectionScan(def.name())).with(new SetOp.Where(args.fn(0)));
                SetExecutor exec = new SetExecutor(interp, docs);
                try (SetExecutor.Cursor c = exec.open(s, SetExecutor.Resume.START, args.span())) {
                    SetExecutor.Element e = c.next();
                    yield e == null ? NullValue.NULL : e.value();
                }
            }
            case "byId" -> {
                args.count(1);
                yield docs.read(def.name(), DocumentFunctions.parseId(args.get(0), args.spanOf(0)));
            }
            case "create" -> {
                args.count(1);
                yield docs.create(def, args.object(0), args.span());
            }
            case "definition" -> render(def);
            default -> {
                IndexDef idx = def.indexes().get(name);
                yield idx == null ? null : indexCall(def, idx, args);
            }
        };
    }

    private Value indexCall(CollectionDef def, IndexDef idx, Args args) {
        int terms = idx.terms().size();
        if (args.size() != terms && args.size() != terms + 1) {
            throw new QueryException("invalid_index_invocation", "The index `" + def.name() + "." + idx.name() + "` expects "
                    + terms + " term" + (terms == 1 ? "" : "s") + (idx.values().isEmpty() ? "" : " and an optional range")
                    + " but was called with " + args.size() + " argument" + (args.size() == 1 ? "" : "s") + ".", args.span());
        }
        List<Value> termValues = new ArrayList<>();
        for (int i = 0; i < terms; i++) termValues.add(DocumentFunctions.storable(args.get(i), "term", args.spanOf(i)));
        List<Value> from = null, to = null;
        if (args.size() == terms + 1) {
            if (!(args.get(terms) instanceof ObjectValue range)) throw args.wrongType(terms, "a range object `{ from, to }`");
            for (String k : range.fields().keySet()) {
                if (!k.equals("from") && !k.equals("to")) {
                    throw new QueryException("invalid_index_invocation", "Index ranges accept only `from` and `to`, not `" + k + "`.", args.spanOf(terms));
                }
            }
            if (range.has("from")) from = rangeBound(range.get("from"));
            if (range.has("to")) to = rangeBound(range.get("to"));
            int max = idx.values().size();
            if ((from != null && from.size() > max) || (to != null && to.size() > max)) {
                throw new QueryException("invalid_index_invocation", "The range has more values than the index `" + idx.name()
                        + "` covers (" + max + ").", args.spanOf(terms));
            }
        }
        return SetValue.of(new SetSource.IndexRange(def.name(), idx.name(), termValues, from, to));
    }

    /**
     * {@code Coll.all({ from, to })}: the documents from one to another, both included, each bound a
     * document of the collection or its id (null or absent: unbounded).
     */
    private static SetSource.CollectionScan documentRange(CollectionDef def, Args args) {
        if (!(args.get(0) instanceof ObjectValue range)) throw args.wrongType(0, "a range object `{ from, to }`");
        for (String k : range.fields().keySet()) {
            if (!k.equals("from") && !k.equals("to")) {
                throw new QueryException("invalid_argument", "invalid argument `range`: ranges accept only `from` and `to`, not `" + k + "`.", args.spanOf(0));
            }
        }
        return new SetSource.CollectionScan(def.name(), documentBound(def, range.get("from"), args),
                documentBound(def, range.get("to"), args));
    }

    private static String documentBound(CollectionDef def, Value bound, Args args) {
        String coll = switch (bound) {
            case DocumentValue d -> d.coll();
            case DocRefValue r -> r.coll();
            case NullDocumentValue n -> n.coll();
            default -> null;
        };
        if (coll != null && !coll.equals(def.name())) {
            throw new QueryException("invalid_argument", "invalid argument `range`: expected a document of `" + def.name()
                    + "` but found a document of `" + coll + "`.", args.spanOf(0));
        }
        return switch (bound) {
            case NullValue n -> null;
            case DocumentValue d -> d.id();
            case DocRefValue r -> r.id();
            case NullDocumentValue n -> n.id();
            default -> DocumentFunctions.parseId(bound, args.spanOf(0));
        };
    }

    private static List<Value> rangeBound(Value v) {
        if (v == NullValue.NULL) return null;
        if (v instanceof ArrayValue a) return a.elements();
        return List.of(v);
    }

    Value onCollectionModule(String name, Args args) {
        return switch (name) {
            case "create" -> {
                args.count(1);
                interp.ctx().checkWrite(args.span());
                CollectionSpec spec = parseSpec(args.object(0), null, args.spanOf(0));
                if (interp.ctx().txn().collection(spec.name()) != null) {
                    throw new QueryException("constraint_failure", "Failed to create Collection.", args.span());
                }
                interp.ctx().checkSchemaWrite();
                yield render(interp.ctx().txn().createCollection(spec));
            }
            case "byName" -> {
                String n = args.count(1).string(0);
                CollectionDef def = Builtins.MODULES.contains(n) ? null : interp.ctx().txn().collection(n);
                yield def == null ? new NullDocumentValue("Collection", n, "not found") : render(def);
            }
            case "all" -> {
                args.count(0);
                yield SetValue.of(new SetSource.CollectionDefs());
            }
            case "where" -> SetValue.of(new SetSource.CollectionDefs()).with(new SetOp.Where(args.count(1).fn(0)));
            case "firstWhere" -> {
                args.count(1);
                SetValue s = SetValue.of(new SetSource.CollectionDefs()).with(new SetOp.Where(args.fn(0)));
                try (SetExecutor.Cursor c = new SetExecutor(interp, docs).open(s, SetExecutor.Resume.START, args.span())) {
                    SetExecutor.Element e = c.next();
                    yield e == null ? NullValue.NULL : e.value();
                }
            }
            default -> null;
        };
    }

    Value onDefinition(NamedDocumentValue n, String name, Args args) {
        if (!n.coll().equals("Collection")) return null;
        return switch (name) {
            case "update", "replace" -> {
                args.count(1);
                interp.ctx().checkWrite(args.span());
                CollectionDef current = interp.ctx().txn().collection(n.name());
                if (current == null) throw new QueryException("document_not_found", "Collection `" + n.name() + "` not found.", args.span());
                ObjectValue patch = args.object(0);
                ObjectValue merged = name.equals("update")
                        ? docs.merge(withName(current), patch, args.spanOf(0))
                        : withDefaultName(patch, n.name());
                CollectionSpec spec = parseSpec(merged, current, args.spanOf(0));
                if (!spec.name().equals(n.name()) && interp.ctx().txn().collection(spec.name()) != null) {
                    throw new QueryException("constraint_failure", "Failed to update Collection: the name `" + spec.name() + "` is taken.", args.span());
                }
                interp.ctx().checkSchemaWrite();
                yield render(interp.ctx().txn().updateCollection(n.name(), spec));
            }
            case "delete" -> {
                args.count(0);
                interp.ctx().checkWrite(args.span());
                if (interp.ctx().txn().collection(n.name()) == null) {
                    throw new QueryException("document_not_found", "Collection `" + n.name() + "` not found.", args.span());
                }
                interp.ctx().checkSchemaWrite();
                interp.ctx().txn().deleteCollection(n.name());
                yield new NullDocumentValue("Collection", n.name(), "deleted");
            }
            case "exists" -> BoolValue.of(interp.ctx().txn().collection(n.name()) != null);
            default -> null;
        };
    }

    private static ObjectValue withName(CollectionDef def) {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("name", new StringValue(def.name()));
        m.putAll(def.definition().fields());
        return new ObjectValue(m);
    }

    private static ObjectValue withDefaultName(ObjectValue o, String name) {
        if (o.has("name")) return o;
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("name", new StringValue(name));
        m.putAll(o.fields());
        return new ObjectValue(m);
    }

    /** A collection definition as its named document ({@code coll: Collection}). */
    static NamedDocumentValue render(CollectionDef def) {
        long ts = def.ts() <= 0 ? DocumentValue.PENDING_TS : def.ts();
        return new NamedDocumentValue("Collection", def.name(), ts, def.definition());
    }

    /** Validates a definition and turns it into a spec; {@code current} is the definition being updated, if any. */
    private CollectionSpec parseSpec(ObjectValue o, CollectionDef current, Span span) {
        for (String k : o.fields().keySet()) {
            if (!DEFINITION_FIELDS.contains(k)) {
                throw new QueryException("invalid_argument", "invalid argument `definition`: unknown field `" + k
                        + "`; expected one of " + String.join(", ", DEFINITION_FIELDS.stream().sorted().toList()) + ".", span);
            }
        }
        if (!(o.get("name") instanceof StringValue nameValue)) {
            throw new QueryException("invalid_argument", "invalid argument `definition`: `name` must be a String.", span);
        }
        String name = nameValue.value();
        if (!NAME.matcher(name).matches() || Builtins.MODULES.contains(name) || Builtins.FUNCTIONS.contains(name)
                || RESERVED_NAMES.contains(name)) {
            throw new QueryException("invalid_argument", "invalid argument `name`: `" + name
                    + "` is not a valid collection name; use an identifier that is not a built-in name.", span);
        }
        int historyDays = 0;
        if (o.has("history_days") && o.get("history_days") != NullValue.NULL) {
            historyDays = (int) nonNegativeInt(o.get("history_days"), "history_days", span);
        }
        Integer ttlDays = null;
        if (o.has("ttl_days") && o.get("ttl_days") != NullValue.NULL) ttlDays = (int) nonNegativeInt(o.get("ttl_days"), "ttl_days", span);

        Map<String, IndexSpec> indexes = new LinkedHashMap<>();
        Map<String, Value> renderedIndexes = new LinkedHashMap<>();
        if (o.has("indexes") && o.get("indexes") != NullValue.NULL) {
            if (!(o.get("indexes") instanceof ObjectValue idxs)) {
                throw new QueryException("invalid_argument", "invalid argument `indexes`: expected an Object of index definitions.", span);
            }
            for (var e : idxs.fields().entrySet()) {
                if (e.getValue() == NullValue.NULL) continue; // null drops an index in update
                String idxName = e.getKey();
                if (!NAME.matcher(idxName).matches() || Set.of("all", "where", "firstWhere", "byId", "create", "definition").contains(idxName)) {
                    throw new QueryException("invalid_argument", "invalid argument `indexes`: `" + idxName + "` is not a valid index name.", span);
                }
                if (!(e.getValue() instanceof ObjectValue idx)) {
                    throw new QueryException("invalid_argument", "invalid argument `indexes." + idxName + "`: expected an Object with `terms` and/or `values`.", span);
                }
                List<IndexField> terms = fields(idx.get("terms"), idxName, "terms", false, span);
                List<IndexField> values = fields(idx.get("values"), idxName, "values", true, span);
                if (terms.isEmpty() && values.isEmpty()) {
                    throw new QueryException("invalid_argument", "invalid argument `indexes." + idxName + "`: an index needs at least one term or value.", span);
                }
                indexes.put(idxName, new IndexSpec(terms, values));
                Map<String, Value> r = new LinkedHashMap<>();
                if (!terms.isEmpty()) r.put("terms", renderFields(terms, false));
                if (!values.isEmpty()) r.put("values", renderFields(values, true));
                r.put("queryable", BoolValue.TRUE);
                r.put("status", new StringValue("complete"));
                renderedIndexes.put(idxName, new ObjectValue(r));
            }
        }
        Map<String, Value> definition = new LinkedHashMap<>();
        for (var e : o.fields().entrySet()) {
            if (e.getKey().equals("name") || e.getValue() == NullValue.NULL) continue;
            definition.put(e.getKey(), e.getKey().equals("indexes") ? new ObjectValue(renderedIndexes) : e.getValue());
        }
        definition.putIfAbsent("history_days", new IntValue(historyDays));
        definition.putIfAbsent("indexes", new ObjectValue(renderedIndexes));
        definition.putIfAbsent("constraints", ArrayValue.EMPTY);
        return new CollectionSpec(name, indexes, historyDays, ttlDays, new ObjectValue(definition));
    }

    private static long nonNegativeInt(Value v, String field, Span span) {
        if ((v instanceof IntValue || v instanceof LongValue) && ((NumberValue) v).asLong() >= 0 && ((NumberValue) v).asLong() <= 36500) {
            return ((NumberValue) v).asLong();
        }
        throw new QueryException("invalid_argument", "invalid argument `" + field + "`: expected an Int between 0 and 36500.", span);
    }

    private static List<IndexField> fields(Value v, String idx, String kind, boolean allowOrder, Span span) {
        if (v == NullValue.NULL) return List.of();
        if (!(v instanceof ArrayValue a)) {
            throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + "." + kind + "`: expected an Array.", span);
        }
        List<IndexField> out = new ArrayList<>();
        for (Value f : a.elements()) {
            String path;
            boolean desc = false;
            if (f instanceof StringValue s) {
                path = s.value();
            } else if (f instanceof ObjectValue fo && fo.get("field") instanceof StringValue s) {
                path = s.value();
                for (String k : fo.fields().keySet()) {
                    if (!Set.of("field", "order", "mva").contains(k)) {
                        throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + "." + kind
                                + "`: unknown key `" + k + "`.", span);
                    }
                }
                Value order = fo.get("order");
                if (order != NullValue.NULL) {
                    if (!allowOrder) {
                        throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + ".terms`: terms have no order.", span);
                    }
                    if (order instanceof StringValue os && (os.value().equals("asc") || os.value().equals("desc"))) {
                        desc = os.value().equals("desc");
                    } else {
                        throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + "." + kind
                                + "`: `order` must be \"asc\" or \"desc\".", span);
                    }
                }
                if (fo.get("mva") == BoolValue.TRUE) {
                    throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + "." + kind
                            + "`: `mva` (multi-valued attributes) is not supported yet.", span);
                }
            } else {
                throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + "." + kind
                        + "`: each entry needs a `field` such as \".name\".", span);
            }
            out.add(new IndexField(path.startsWith(".") ? path : "." + path, parsePath(path, idx, span), desc));
        }
        return out;
    }

    private static List<String> parsePath(String path, String idx, Span span) {
        String p = path.startsWith(".") ? path.substring(1) : path;
        List<String> segments = Arrays.asList(p.split("\\.", -1));
        for (String s : segments) {
            if (!NAME.matcher(s).matches()) {
                throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + "`: `" + path
                        + "` is not a field path such as `.name` or `.address.city`.", span);
            }
        }
        if (segments.size() == 1 && segments.get(0).equals("ts")) {
            throw new QueryException("invalid_argument", "invalid argument `indexes." + idx + "`: indexing `.ts` is not supported yet.", span);
        }
        return segments;
    }

    private static ArrayValue renderFields(List<IndexField> fields, boolean withOrder) {
        List<Value> out = new ArrayList<>();
        for (IndexField f : fields) {
            Map<String, Value> m = new LinkedHashMap<>();
            m.put("field", new StringValue(f.field()));
            if (withOrder) m.put("order", new StringValue(f.descending() ? "desc" : "asc"));
            out.add(new ObjectValue(m));
        }
        return new ArrayValue(out);
    }
}
