package io.eddy.bench.peer;

import io.eddy.bench.env.PostgresCluster;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/**
 * History replay on PostgreSQL, the P5 peer: a {@code pgoutput} slot created before the rows are written
 * is read back from its start through pgjdbc's replication API, each row decoded and turned into the JSON
 * a router would push. The slot's position is never confirmed, so each pass replays the same history.
 */
public final class PgReplay {
    private final PostgresCluster pg;
    private final String table;

    /** Creates {@code table}, its publication and slot, before any row is written. */
    public PgReplay(PostgresCluster pg, String table) throws SQLException {
        this.pg = pg;
        this.table = table;
        PgTable.create(pg, table);
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE PUBLICATION pub_" + table + " FOR TABLE " + table);
        }
        try (Connection rc = pg.connectReplication()) {
            rc.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                    .withSlotName("slot_" + table).withOutputPlugin("pgoutput").make();
        }
    }

    /** Inserts {@code rows} rows, {@code perTxn} per transaction. */
    public void fill(int rows, int perTxn, String payload) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (int from = 0; from < rows; from += perTxn) {
                int n = Math.min(perTxn, rows - from);
                s.execute("INSERT INTO " + table + " (owner, status, score, payload, sent_ns) SELECT 'o' || g, 's', 1, '"
                        + payload + "', 0 FROM generate_series(1, " + n + ") g");
            }
        }
    }

    /** Replays the slot from its start until {@code rows} rows were decoded; returns rows/s. */
    public double replay(int rows) throws SQLException {
        try (Connection rc = pg.connectReplication()) {
            PGReplicationStream stream = rc.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                    .withSlotName("slot_" + table).withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", "pub_" + table).withStatusInterval(10, TimeUnit.SECONDS).start();
            PgOutputDecoder decoder = new PgOutputDecoder();
            long[] count = {0};
            long[] bytes = {0};
            PgOutputDecoder.Listener l = new PgOutputDecoder.Listener() {
                @Override public void onRow(PgOutputDecoder.Row row) {
                    bytes[0] += PgOutputDecoder.json(row).length();
                    count[0]++;
                }

                @Override public void onCommit() { }
            };
            long t0 = System.nanoTime();
            while (count[0] < rows) {
                ByteBuffer msg = stream.read();
                decoder.decode(msg, l);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            stream.close();
            return count[0] / seconds;
        }
    }
}
