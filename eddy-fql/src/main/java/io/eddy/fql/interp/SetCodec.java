package io.eddy.fql.interp;

import io.eddy.core.value.*;
import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import io.eddy.fql.runtime.Env;
import io.eddy.fql.runtime.FunctionValue;
import io.eddy.fql.runtime.OrderingValue;
import io.eddy.fql.runtime.SetOp;
import io.eddy.fql.runtime.SetSource;
import io.eddy.fql.runtime.SetValue;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary encoding of sets, with their closures (as ASTs plus captured values), for pagination cursors
 * and event-source tokens. Decoded ASTs carry {@link Span#NONE}: their source text belongs to the query
 * that created them.
 *
 * <p>The format is internal and versioned by {@link Cursors}; values are a tag byte and a payload.
 */
final class SetCodec {
    private SetCodec() {}

    /** A value the codec cannot carry, such as a built-in function captured by a closure. */
    static final class NotEncodable extends RuntimeException {
        NotEncodable(String message) { super(message, null, false, false); }
    }

    // Value tags
    private static final int NULL = 0, TRUE = 1, FALSE = 2, INT = 3, LONG = 4, DOUBLE = 5, STRING = 6, TIME = 7,
            DATE = 8, BYTES = 9, ARRAY = 10, OBJECT = 11, MODULE = 12, REF = 13, NULL_DOC = 14, SET = 15,
            CLOSURE = 16, ORDERING = 17, ID = 18;

    static void writeValue(DataOutputStream out, Value v) throws IOException {
        switch (v) {
            case NullValue n -> out.writeByte(NULL);
            case BoolValue b -> out.writeByte(b.value() ? TRUE : FALSE);
            case IntValue i -> { out.writeByte(INT); out.writeInt(i.value()); }
            case LongValue l -> { out.writeByte(LONG); out.writeLong(l.value()); }
            case DoubleValue d -> { out.writeByte(DOUBLE); out.writeDouble(d.value()); }
            // A captured document id keeps its equality with the number it spells.
            case IdValue id -> { out.writeByte(ID); writeString(out, id.value()); }
            case StringValue s -> { out.writeByte(STRING); writeString(out, s.value()); }
            case TimeValue t -> { out.writeByte(TIME); out.writeLong(t.value().getEpochSecond()); out.writeInt(t.value().getNano()); }
            case DateValue d -> { out.writeByte(DATE); out.writeLong(d.value().toEpochDay()); }
            case BytesValue b -> { out.writeByte(BYTES); byte[] a = b.value(); out.writeInt(a.length); out.write(a); }
            case ArrayValue a -> {
                out.writeByte(ARRAY);
                out.writeInt(a.size());
                for (Value e : a.elements()) writeValue(out, e);
            }
            case ObjectValue o -> {
                out.writeByte(OBJECT);
                out.writeInt(o.size());
                for (var e : o.fields().entrySet()) {
                    writeString(out, e.getKey());
                    writeValue(out, e.getValue());
                }
            }
            case ModuleValue m -> { out.writeByte(MODULE); writeString(out, m.name()); }
            case DocumentValue d -> { out.writeByte(REF); writeString(out, d.coll()); writeString(out, d.id()); }
            case DocRefValue r -> { out.writeByte(REF); writeString(out, r.coll()); writeString(out, r.id()); }
            case NullDocumentValue n -> {
                out.writeByte(NULL_DOC);
                writeString(out, n.coll());
                writeString(out, n.id());
                writeString(out, n.cause());
            }
            case SetValue s -> { out.writeByte(SET); writeSet(out, s); }
            case FunctionValue.Closure c -> {
                out.writeByte(CLOSURE);
                AstCodec.write(out, c.lambda());
                List<String> free = new ArrayList<>(FreeVariables.of(c.lambda()));
                List<Map.Entry<String, Value>> captured = new ArrayList<>();
                for (String name : free) {
                    Value bound = c.env().lookup(name);
                    if (bound != null) captured.add(Map.entry(name, bound));
                }
                out.writeInt(captured.size());
                for (var e : captured) {
                    writeString(out, e.getKey());
                    writeValue(out, e.getValue());
                }
            }
            case OrderingValue o -> { out.writeByte(ORDERING); out.writeBoolean(o.descending()); writeValue(out, o.key()); }
            default -> throw new NotEncodable("a value of type " + Builtins.typeOf(v) + " cannot be captured in a set cursor or event source");
        }
    }

    static Value readValue(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case NULL -> NullValue.NULL;
            case TRUE -> BoolValue.TRUE;
            case FALSE -> BoolValue.FALSE;
            case INT -> new IntValue(in.readInt());
            case LONG -> new LongValue(in.readLong());
            case DOUBLE -> new DoubleValue(in.readDouble());
            case STRING -> new StringValue(readString(in));
            case ID -> new IdValue(readString(in));
            case TIME -> new TimeValue(Instant.ofEpochSecond(in.readLong(), in.readInt()));
            case DATE -> new DateValue(LocalDate.ofEpochDay(in.readLong()));
            case BYTES -> {
                int n = length(in);
                byte[] b = new byte[n];
                in.readFully(b);
                yield new BytesValue(b);
            }
            case ARRAY -> {
                int n = length(in);
                List<Value> out = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) out.add(readValue(in));
                yield new ArrayValue(out);
            }
            case OBJECT -> {
                int n = length(in);
                Map<String, Value> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) out.put(readString(in), readValue(in));
                yield new ObjectValue(out);
            }
            case MODULE -> new ModuleValue(readString(in).intern());
            case REF -> new DocRefValue(readString(in), readString(in));
            case NULL_DOC -> new NullDocumentValue(readString(in), readString(in), readString(in));
            case SET -> readSet(in);
            case CLOSURE -> {
                Expr e = AstCodec.read(in);
                if (!(e instanceof Expr.Lambda lambda)) throw new IOException("closure without lambda");
                int n = length(in);
                Env env = Env.EMPTY;
                for (int i = 0; i < n; i++) env = env.bind(readString(in), readValue(in));
                yield new FunctionValue.Closure(lambda, env);
            }
            case ORDERING -> {
                boolean desc = in.readBoolean();
                if (!(readValue(in) instanceof FunctionValue f)) throw new IOException("ordering without function");
                yield new OrderingValue(f, desc);
            }
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    // Set sources and ops
    private static final int SRC_COLL = 1, SRC_INDEX = 2, SRC_ELEMENTS = 3, SRC_SINGLE = 4, SRC_SEQUENCE = 5, SRC_DEFS = 6,
            SRC_COLL_RANGE = 7;
    private static final int OP_WHERE = 1, OP_MAP = 2, OP_FLATMAP = 3, OP_TAKE = 4, OP_DROP = 5, OP_ORDER = 6,
            OP_REVERSE = 7, OP_DISTINCT = 8, OP_CONCAT = 9;

    static void writeSet(DataOutputStream out, SetValue s) throws IOException {
        switch (s.source()) {
            case SetSource.CollectionScan c when !c.hasRange() -> { out.writeByte(SRC_COLL); writeString(out, c.coll()); }
            case SetSource.CollectionScan c -> {
                out.writeByte(SRC_COLL_RANGE);
                writeString(out, c.coll());
                writeValue(out, c.fromId() == null ? NullValue.NULL : new StringValue(c.fromId()));
                writeValue(out, c.toId() == null ? NullValue.NULL : new StringValue(c.toId()));
            }
            case SetSource.IndexRange r -> {
                out.writeByte(SRC_INDEX);
                writeString(out, r.coll());
                writeString(out, r.index());
                writeValue(out, new ArrayValue(r.terms()));
                writeValue(out, r.from() == null ? NullValue.NULL : new ArrayValue(r.from()));
                writeValue(out, r.to() == null ? NullValue.NULL : new ArrayValue(r.to()));
            }
            case SetSource.Elements e -> { out.writeByte(SRC_ELEMENTS); writeValue(out, new ArrayValue(e.values())); }
            case SetSource.Single s1 -> { out.writeByte(SRC_SINGLE); writeValue(out, s1.value()); }
            case SetSource.Sequence q -> { out.writeByte(SRC_SEQUENCE); out.writeLong(q.from()); out.writeLong(q.until()); }
            case SetSource.CollectionDefs d -> out.writeByte(SRC_DEFS);
        }
        out.writeInt(s.ops().size());
        for (SetOp op : s.ops()) {
            switch (op) {
                case SetOp.Where w -> { out.writeByte(OP_WHERE); writeValue(out, w.predicate()); }
                case SetOp.MapOp m -> { out.writeByte(OP_MAP); writeValue(out, m.fn()); }
                case SetOp.FlatMap f -> { out.writeByte(OP_FLATMAP); writeValue(out, f.fn()); }
                case SetOp.Take t -> { out.writeByte(OP_TAKE); out.writeLong(t.n()); }
                case SetOp.Drop d -> { out.writeByte(OP_DROP); out.writeLong(d.n()); }
                case SetOp.Order o -> {
                    out.writeByte(OP_ORDER);
                    out.writeInt(o.orderings().size());
                    for (OrderingValue ov : o.orderings()) writeValue(out, ov);
                }
                case SetOp.Reverse r -> out.writeByte(OP_REVERSE);
                case SetOp.Distinct d -> out.writeByte(OP_DISTINCT);
                case SetOp.Concat c -> { out.writeByte(OP_CONCAT); writeSet(out, c.other()); }
            }
        }
        out.writeInt(s.pageSize());
    }

    static SetValue readSet(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        SetSource source = switch (tag) {
            // Schema names are interned: a stream keeps its decoded source for as long as it is open,
            // and thousands of streams on one collection need not each hold its own copy of the name.
            case SRC_COLL -> new SetSource.CollectionScan(readString(in).intern());
            case SRC_COLL_RANGE -> new SetSource.CollectionScan(readString(in).intern(), optionalId(readValue(in)),
                    optionalId(readValue(in)));
            case SRC_INDEX -> {
                String coll = readString(in).intern(), index = readString(in).intern();
                List<Value> terms = list(readValue(in));
                Value from = readValue(in), to = readValue(in);
                yield new SetSource.IndexRange(coll, index, terms, from == NullValue.NULL ? null : list(from),
                        to == NullValue.NULL ? null : list(to));
            }
            case SRC_ELEMENTS -> new SetSource.Elements(list(readValue(in)));
            case SRC_SINGLE -> new SetSource.Single(readValue(in));
            case SRC_SEQUENCE -> new SetSource.Sequence(in.readLong(), in.readLong());
            case SRC_DEFS -> new SetSource.CollectionDefs();
            default -> throw new IOException("unknown set source " + tag);
        };
        int n = length(in);
        List<SetOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int op = in.readUnsignedByte();
            ops.add(switch (op) {
                case OP_WHERE -> new SetOp.Where(function(readValue(in)));
                case OP_MAP -> new SetOp.MapOp(function(readValue(in)));
                case OP_FLATMAP -> new SetOp.FlatMap(function(readValue(in)));
                case OP_TAKE -> new SetOp.Take(in.readLong());
                case OP_DROP -> new SetOp.Drop(in.readLong());
                case OP_ORDER -> {
                    int k = length(in);
                    List<OrderingValue> os = new ArrayList<>();
                    for (int j = 0; j < k; j++) {
                        if (!(readValue(in) instanceof OrderingValue o)) throw new IOException("bad ordering");
                        os.add(o);
                    }
                    yield new SetOp.Order(os);
                }
                case OP_REVERSE -> new SetOp.Reverse();
                case OP_DISTINCT -> new SetOp.Distinct();
                case OP_CONCAT -> new SetOp.Concat(readSet(in));
                default -> throw new IOException("unknown set op " + op);
            });
        }
        int pageSize = in.readInt();
        if (pageSize < 0 || pageSize > SetValue.MAX_PAGE_SIZE) throw new IOException("bad page size");
        return new SetValue(source, ops, pageSize);
    }

    private static FunctionValue function(Value v) throws IOException {
        if (v instanceof FunctionValue f) return f;
        throw new IOException("expected function");
    }

    private static List<Value> list(Value v) throws IOException {
        if (v instanceof ArrayValue a) return a.elements();
        throw new IOException("expected array");
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = length(in);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A length prefix, checked against what can possibly remain so a forged length cannot allocate gigabytes. */
    private static String optionalId(Value v) throws IOException {
        if (v == NullValue.NULL) return null;
        if (v instanceof StringValue s) return s.value();
        throw new IOException("bad id bound");
    }

    static int length(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) throw new IOException("bad length " + n);
        return n;
    }
}
