package io.eddy.bench.peer;

import io.eddy.bench.env.PostgresCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** A table of workload documents: {@code (id bigserial, owner, status, score, payload, sent_ns)}, indexed on owner. */
public final class PgTable {
    private PgTable() {}

    /** Drops and creates {@code name}. */
    public static void create(PostgresCluster pg, String name) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + name + " CASCADE");
            s.execute("CREATE TABLE " + name + " (id bigserial PRIMARY KEY, owner text NOT NULL, status text, "
                    + "score int, payload text, sent_ns bigint)");
            s.execute("CREATE INDEX " + name + "_owner ON " + name + " (owner)");
        }
    }

    /**
     * Makes every update's WAL record, and so its {@code pgoutput} message, carry the whole old row
     * ({@code REPLICA IDENTITY FULL}): what a router needs to tell whether a field changed (F5). It costs
     * each update a larger WAL record, so only the tables that need it have it.
     */
    public static void keepOldRows(PostgresCluster pg, String name) throws SQLException {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + name + " REPLICA IDENTITY FULL");
        }
    }

    /**
     * Inserts one row per owner {@code o0..o<m-1>} (status {@code init}, score 0), as the Eddy side
     * pre-creates its documents for updates; returns their ids, {@code ids[i]} the row of {@code o<i>}.
     */
    public static String[] precreate(PostgresCluster pg, String name, int m, String payload) throws SQLException {
        String[] ids = new String[m];
        try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + name
                + " (owner, status, score, payload, sent_ns) SELECT 'o' || i, 'init', 0, ?, 0 FROM generate_series(0, ?) i "
                + "RETURNING id, owner")) {
            ps.setString(1, payload);
            ps.setInt(2, m - 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids[Integer.parseInt(rs.getString(2).substring(1))] = Long.toString(rs.getLong(1));
            }
        }
        return ids;
    }
}
