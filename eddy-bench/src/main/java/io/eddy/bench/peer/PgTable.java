package io.eddy.bench.peer;

import io.eddy.bench.env.PostgresCluster;
import java.sql.Connection;
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
}
