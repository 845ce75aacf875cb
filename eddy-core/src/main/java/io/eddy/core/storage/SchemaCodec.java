package io.eddy.core.storage;

import io.eddy.core.codec.ByteReader;
import io.eddy.core.codec.ByteWriter;
import io.eddy.core.codec.CorruptDataException;
import io.eddy.core.codec.ValueCodec;
import io.eddy.core.schema.CollectionDef;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexField;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored form of a {@link CollectionDef}: ts(8) then a ValueCodec object
 * {@code {coll_id, history_days, ttl_days, definition, indexes: [{name, index_id, terms, values}]}}
 * where each term/value is {@code {field, path, desc}}. The name is the key.
 */
final class SchemaCodec {
    private SchemaCodec() {}

    static byte[] encode(CollectionDef def) {
        Map<String, Value> f = new LinkedHashMap<>();
        f.put("coll_id", new LongValue(def.collId()));
        f.put("history_days", new IntValue(def.historyDays()));
        f.put("ttl_days", def.ttlDays() == null ? NullValue.NULL : new IntValue(def.ttlDays()));
        f.put("definition", def.definition());
        List<Value> idx = new ArrayList<>();
        def.indexes().values().stream().sorted(Comparator.comparing(IndexDef::name)).forEach(i -> {
            Map<String, Value> m = new LinkedHashMap<>();
            m.put("name", new StringValue(i.name()));
            m.put("index_id", new IntValue(i.indexId()));
            m.put("terms", fields(i.terms()));
            m.put("values", fields(i.values()));
            idx.add(new ObjectValue(m));
        });
        f.put("indexes", new ArrayValue(idx));
        ByteWriter w = new ByteWriter(128).putLong(def.ts());
        ValueCodec.write(w, new ObjectValue(f));
        return w.toByteArray();
    }

    private static ArrayValue fields(List<IndexField> fields) {
        List<Value> out = new ArrayList<>();
        for (IndexField f : fields) {
            Map<String, Value> m = new LinkedHashMap<>();
            m.put("field", new StringValue(f.field()));
            m.put("path", new ArrayValue(f.path().stream().<Value>map(StringValue::new).toList()));
            m.put("desc", BoolValue.of(f.descending()));
            out.add(new ObjectValue(m));
        }
        return new ArrayValue(out);
    }

    static CollectionDef decode(String name, byte[] bytes) {
        long ts = Keys.readLong(bytes, 0);
        ByteReader r = new ByteReader(bytes, Keys.TS_HEADER, bytes.length - Keys.TS_HEADER);
        if (!(ValueCodec.read(r) instanceof ObjectValue o)) throw new CorruptDataException("schema entry " + name);
        Map<String, IndexDef> indexes = new LinkedHashMap<>();
        for (Value v : ((ArrayValue) o.get("indexes")).elements()) {
            ObjectValue i = (ObjectValue) v;
            String iname = ((StringValue) i.get("name")).value();
            indexes.put(iname, new IndexDef(iname, ((IntValue) i.get("index_id")).value(),
                    parseFields(i.get("terms")), parseFields(i.get("values"))));
        }
        Value ttl = o.get("ttl_days");
        return new CollectionDef(name, ((LongValue) o.get("coll_id")).value(), indexes,
                ((IntValue) o.get("history_days")).value(), ttl instanceof IntValue t ? t.value() : null,
                (ObjectValue) o.get("definition"), ts);
    }

    private static List<IndexField> parseFields(Value v) {
        List<IndexField> out = new ArrayList<>();
        for (Value e : ((ArrayValue) v).elements()) {
            ObjectValue f = (ObjectValue) e;
            List<String> path = ((ArrayValue) f.get("path")).elements().stream().map(p -> ((StringValue) p).value()).toList();
            out.add(new IndexField(((StringValue) f.get("field")).value(), path, ((BoolValue) f.get("desc")).value()));
        }
        return out;
    }
}
