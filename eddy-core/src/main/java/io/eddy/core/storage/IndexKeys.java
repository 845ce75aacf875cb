package io.eddy.core.storage;

import io.eddy.core.codec.ByteReader;
import io.eddy.core.codec.ByteWriter;
import io.eddy.core.codec.KeyCodec;
import io.eddy.core.codec.ValueCodec;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.schema.IndexField;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Index entries of documents. An entry's key is {@code indexId(4)}, the terms in KeyCodec ascending
 * order, the values in KeyCodec order (descending ones byte-inverted), then {@code docId(8)}: so
 * entries sort by terms, then values in their declared orders, then document id. The payload keeps
 * the original values (key encodings are not decoded) and the document's {@code ttl}, so scans can
 * hide expired documents without reading them.
 */
final class IndexKeys {
    private IndexKeys() {}

    /** The value at a field path, or null when a segment is missing or not an object. */
    static Value resolve(ObjectValue data, List<String> path) {
        Value v = data;
        for (String seg : path) {
            if (!(v instanceof ObjectValue o)) return NullValue.NULL;
            v = o.get(seg);
        }
        return v;
    }

    static List<Value> resolveAll(ObjectValue data, List<IndexField> fields) {
        List<Value> out = new ArrayList<>(fields.size());
        for (IndexField f : fields) out.add(resolve(data, f.path()));
        return out;
    }

    /** indexId then the encoded terms: the prefix shared by every entry with these terms. */
    static ByteWriter termsPrefix(IndexDef index, List<Value> terms) {
        if (terms.size() != index.terms().size())
            throw new IllegalArgumentException("Index " + index.name() + " has " + index.terms().size()
                    + " terms, got " + terms.size() + ".");
        ByteWriter w = new ByteWriter(64).putInt(index.indexId());
        for (Value t : terms) KeyCodec.write(w, t);
        return w;
    }

    /** Appends a prefix of the index values, each in its declared order. */
    static void writeValues(ByteWriter w, IndexDef index, List<Value> values) {
        if (values.size() > index.values().size())
            throw new IllegalArgumentException("Index " + index.name() + " has " + index.values().size()
                    + " values, got a bound of " + values.size() + ".");
        for (int i = 0; i < values.size(); i++) {
            if (index.values().get(i).descending()) KeyCodec.writeDesc(w, values.get(i));
            else KeyCodec.write(w, values.get(i));
        }
    }

    static byte[] entryKey(IndexDef index, long docId, ObjectValue data) {
        ByteWriter w = termsPrefix(index, resolveAll(data, index.terms()));
        writeValues(w, index, resolveAll(data, index.values()));
        return w.putLong(docId).toByteArray();
    }

    static byte[] entryPayload(IndexDef index, ObjectValue data) {
        Value ttl = data.get("ttl") instanceof TimeValue t ? t : NullValue.NULL;
        return ValueCodec.encode(ArrayValue.of(ttl, new ArrayValue(resolveAll(data, index.values()))));
    }

    /** Decoded payload: the ttl (or null) and the entry's values. */
    record Payload(TimeValue ttl, List<Value> values) {}

    static Payload decodePayload(byte[] bytes) {
        ArrayValue a = (ArrayValue) ValueCodec.read(new ByteReader(bytes));
        return new Payload(a.get(0) instanceof TimeValue t ? t : null, ((ArrayValue) a.get(1)).elements());
    }
}
