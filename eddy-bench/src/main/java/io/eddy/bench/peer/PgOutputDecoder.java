package io.eddy.bench.peer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes the {@code pgoutput} logical replication protocol (version 1) into rows: {@code Relation}
 * messages name the columns, {@code Insert}/{@code Update}/{@code Delete} carry tuples in text form,
 * {@code Begin} and {@code Commit} bracket a transaction ({@code Begin} carries its commit timestamp, which
 * every row of the transaction takes). An {@code Update} carries the old row too when the table has
 * {@code REPLICA IDENTITY FULL} (its {@code 'O'} tuple), as F5's status-change filter needs. Only what the
 * router needs; other messages are ignored.
 */
public final class PgOutputDecoder {
    /**
     * A decoded change: the operation ({@code 'I'}, {@code 'U'}, {@code 'D'}), column names and text values
     * (null for SQL NULL), the old row's values of an update whose message carried the whole old row
     * ({@code REPLICA IDENTITY FULL}; null otherwise, and for inserts and deletes), and its transaction's
     * commit time in microseconds since the Unix epoch.
     */
    public record Row(char op, String[] columns, int[] typeOids, String[] values, String[] oldValues, long commitMicros) {
        public String get(String column) {
            int i = column(column);
            return i < 0 ? null : values[i];
        }

        /** The old row's value of {@code column}; throws if the change did not carry the old row. */
        public String old(String column) {
            if (oldValues == null) {
                throw new IllegalStateException("the " + op + " change of this row carries no old row (the table needs "
                        + "REPLICA IDENTITY FULL)");
            }
            int i = column(column);
            return i < 0 ? null : oldValues[i];
        }

        private int column(String column) {
            for (int i = 0; i < columns.length; i++) {
                if (columns[i].equals(column)) return i;
            }
            return -1;
        }
    }

    /** What the decoder hands on. */
    public interface Listener {
        void onRow(Row row);

        void onCommit();
    }

    private record Relation(String[] columns, int[] typeOids) {}

    /** PostgreSQL timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long PG_EPOCH_MICROS = 946_684_800L * 1_000_000L;

    private final Map<Integer, Relation> relations = new HashMap<>();
    private long commitMicros;

    /** Decodes one message (the buffer's remaining bytes). */
    public void decode(ByteBuffer buf, Listener listener) {
        byte kind = buf.get();
        switch (kind) {
            case 'R' -> {
                int relid = buf.getInt();
                cstring(buf); // namespace
                cstring(buf); // relation name
                buf.get();    // replica identity
                int n = buf.getShort();
                String[] cols = new String[n];
                int[] oids = new int[n];
                for (int i = 0; i < n; i++) {
                    buf.get(); // flags
                    cols[i] = cstring(buf);
                    oids[i] = buf.getInt();
                    buf.getInt(); // type modifier
                }
                relations.put(relid, new Relation(cols, oids));
            }
            case 'B' -> {
                buf.getLong(); // final LSN
                commitMicros = buf.getLong() + PG_EPOCH_MICROS;
            }
            case 'I' -> {
                Relation r = relations.get(buf.getInt());
                buf.get(); // 'N'
                listener.onRow(new Row('I', r.columns, r.typeOids, tuple(buf), null, commitMicros));
            }
            case 'U' -> {
                Relation r = relations.get(buf.getInt());
                byte b = buf.get();
                String[] old = null;
                if (b == 'K' || b == 'O') {
                    String[] before = tuple(buf); // 'K': the old key only (a changed key); 'O': the whole old row
                    if (b == 'O') old = before;
                    buf.get(); // 'N'
                }
                listener.onRow(new Row('U', r.columns, r.typeOids, tuple(buf), old, commitMicros));
            }
            case 'D' -> {
                Relation r = relations.get(buf.getInt());
                buf.get(); // 'K' or 'O'
                listener.onRow(new Row('D', r.columns, r.typeOids, tuple(buf), null, commitMicros));
            }
            case 'C' -> listener.onCommit();
            default -> {
                // 'Y' type, 'O' origin, 'T' truncate, 'M' message: nothing to route
            }
        }
    }

    private static String[] tuple(ByteBuffer buf) {
        int n = buf.getShort();
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            byte k = buf.get();
            if (k == 't') {
                int len = buf.getInt();
                values[i] = new String(buf.array(), buf.arrayOffset() + buf.position(), len, StandardCharsets.UTF_8);
                buf.position(buf.position() + len);
            }
            // 'n' null, 'u' unchanged TOAST: leave null
        }
        return values;
    }

    private static String cstring(ByteBuffer buf) {
        int start = buf.position();
        while (buf.get() != 0) {
            // scan to the terminator
        }
        return new String(buf.array(), buf.arrayOffset() + start, buf.position() - start - 1, StandardCharsets.UTF_8);
    }

    /** The row as JSON, numbers unquoted (int2/int4/int8 columns). */
    public static String json(Row row) {
        StringBuilder sb = new StringBuilder(320);
        sb.append('{');
        for (int i = 0; i < row.columns.length; i++) {
            if (i > 0) sb.append(',');
            sb.append('"').append(row.columns[i]).append("\":");
            String v = row.values[i];
            int oid = row.typeOids[i];
            if (v == null) sb.append("null");
            else if (oid == 20 || oid == 21 || oid == 23) sb.append(v);
            else sb.append('"').append(v).append('"'); // workload values need no escaping
        }
        return sb.append(",\"commit_us\":").append(row.commitMicros).append('}').toString();
    }
}
