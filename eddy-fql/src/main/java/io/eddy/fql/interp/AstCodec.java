package io.eddy.fql.interp;

import io.eddy.fql.ast.Expr;
import io.eddy.fql.ast.Span;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of FQL ASTs, used to carry closures inside cursors and event-source tokens. Encoding
 * the tree (rather than source text) keeps interpolated driver values exact.
 */
final class AstCodec {
    private AstCodec() {}

    private static final int LITERAL = 1, INTERP = 2, ARRAY = 3, OBJECT = 4, VAR = 5, FIELD = 6, INDEX = 7, CALL = 8,
            BINARY = 9, UNARY = 10, NONNULL = 11, LAMBDA = 12, IF = 13, BLOCK = 14, LET = 15, PROJECTION = 16;

    static void write(DataOutputStream out, Expr e) throws IOException {
        switch (e) {
            case Expr.Literal l -> { out.writeByte(LITERAL); SetCodec.writeValue(out, l.value()); }
            case Expr.Interpolated s -> { out.writeByte(INTERP); writeList(out, s.parts()); }
            case Expr.ArrayLit a -> { out.writeByte(ARRAY); writeList(out, a.elements()); }
            case Expr.ObjectLit o -> {
                out.writeByte(OBJECT);
                out.writeInt(o.entries().size());
                for (Expr.ObjectLit.Entry en : o.entries()) {
                    SetCodec.writeString(out, en.key());
                    write(out, en.value());
                }
            }
            case Expr.Var v -> { out.writeByte(VAR); SetCodec.writeString(out, v.name()); }
            case Expr.Field f -> {
                out.writeByte(FIELD);
                write(out, f.target());
                SetCodec.writeString(out, f.name());
                out.writeBoolean(f.optional());
            }
            case Expr.Index i -> {
                out.writeByte(INDEX);
                write(out, i.target());
                write(out, i.index());
                out.writeBoolean(i.optional());
            }
            case Expr.Call c -> {
                out.writeByte(CALL);
                write(out, c.callee());
                writeList(out, c.args());
                out.writeBoolean(c.optional());
            }
            case Expr.Binary b -> {
                out.writeByte(BINARY);
                SetCodec.writeString(out, b.op());
                write(out, b.left());
                write(out, b.right());
            }
            case Expr.Unary u -> { out.writeByte(UNARY); SetCodec.writeString(out, u.op()); write(out, u.operand()); }
            case Expr.NonNull n -> { out.writeByte(NONNULL); write(out, n.operand()); }
            case Expr.Lambda l -> {
                out.writeByte(LAMBDA);
                out.writeInt(l.params().size());
                for (String p : l.params()) SetCodec.writeString(out, p);
                write(out, l.body());
            }
            case Expr.If i -> {
                out.writeByte(IF);
                write(out, i.cond());
                write(out, i.then());
                out.writeBoolean(i.otherwise() != null);
                if (i.otherwise() != null) write(out, i.otherwise());
            }
            case Expr.Block b -> { out.writeByte(BLOCK); writeList(out, b.statements()); }
            case Expr.Let l -> { out.writeByte(LET); SetCodec.writeString(out, l.name()); write(out, l.value()); }
            case Expr.Projection p -> {
                out.writeByte(PROJECTION);
                write(out, p.target());
                out.writeInt(p.fields().size());
                for (Expr.Projection.ProjField f : p.fields()) {
                    SetCodec.writeString(out, f.name());
                    write(out, f.value());
                }
            }
        }
    }

    private static void writeList(DataOutputStream out, List<Expr> list) throws IOException {
        out.writeInt(list.size());
        for (Expr e : list) write(out, e);
    }

    static Expr read(DataInputStream in) throws IOException {
        Span s = Span.NONE;
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case LITERAL -> new Expr.Literal(SetCodec.readValue(in), s);
            case INTERP -> new Expr.Interpolated(readList(in), s);
            case ARRAY -> new Expr.ArrayLit(readList(in), s);
            case OBJECT -> {
                int n = SetCodec.length(in);
                List<Expr.ObjectLit.Entry> entries = new ArrayList<>();
                for (int i = 0; i < n; i++) entries.add(new Expr.ObjectLit.Entry(SetCodec.readString(in), read(in)));
                yield new Expr.ObjectLit(entries, s);
            }
            case VAR -> new Expr.Var(SetCodec.readString(in), s);
            case FIELD -> new Expr.Field(read(in), SetCodec.readString(in), in.readBoolean(), s, s);
            case INDEX -> new Expr.Index(read(in), read(in), in.readBoolean(), s);
            case CALL -> new Expr.Call(read(in), readList(in), in.readBoolean(), s);
            case BINARY -> new Expr.Binary(SetCodec.readString(in), read(in), read(in), s);
            case UNARY -> new Expr.Unary(SetCodec.readString(in), read(in), s);
            case NONNULL -> new Expr.NonNull(read(in), s);
            case LAMBDA -> {
                int n = SetCodec.length(in);
                List<String> params = new ArrayList<>();
                for (int i = 0; i < n; i++) params.add(SetCodec.readString(in));
                yield new Expr.Lambda(params, read(in), s);
            }
            case IF -> {
                Expr c = read(in), t = read(in);
                yield new Expr.If(c, t, in.readBoolean() ? read(in) : null, s);
            }
            case BLOCK -> new Expr.Block(readList(in), s);
            case LET -> new Expr.Let(SetCodec.readString(in), read(in), s);
            case PROJECTION -> {
                Expr target = read(in);
                int n = SetCodec.length(in);
                List<Expr.Projection.ProjField> fields = new ArrayList<>();
                for (int i = 0; i < n; i++) fields.add(new Expr.Projection.ProjField(SetCodec.readString(in), read(in)));
                yield new Expr.Projection(target, fields, s);
            }
            default -> throw new IOException("unknown AST tag " + tag);
        };
    }

    private static List<Expr> readList(DataInputStream in) throws IOException {
        int n = SetCodec.length(in);
        List<Expr> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(read(in));
        return out;
    }
}
