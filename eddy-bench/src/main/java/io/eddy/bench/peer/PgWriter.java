package io.eddy.bench.peer;

import io.eddy.bench.env.PostgresCluster;
import io.eddy.bench.workload.Doc;
import io.eddy.bench.workload.WriteTarget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Single-row autocommit {@code INSERT}s (each its own durable transaction, {@code synchronous_commit=on})
 * from {@code connections} JDBC connections, each on its own thread: JDBC is blocking, so the client
 * concurrency is the number of connections. As a {@link WriteTarget}, writes queue for a free connection.
 * A document with a {@link Doc#targetId} is an {@code UPDATE} of that row instead (F4, F5), setting what
 * Eddy's writer sets ({@code EddyClient.writeBody}): status (kept when the document has none), score and
 * {@code sent_ns}.
 */
public final class PgWriter implements WriteTarget, AutoCloseable {
    private final ExecutorService pool;
    private final List<Connection> all = new ArrayList<>();
    private final ThreadLocal<Statements> statements;

    /** One connection's prepared statements. */
    private record Statements(PreparedStatement insert, PreparedStatement update) {}

    public PgWriter(PostgresCluster pg, String table, int connections, String payload) {
        pool = new ThreadPoolExecutor(connections, connections, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "pg-writer");
                    t.setDaemon(true);
                    return t;
                });
        statements = ThreadLocal.withInitial(() -> {
            try {
                Connection c = pg.connect();
                synchronized (all) {
                    all.add(c);
                }
                PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                        + " (owner, status, score, payload, sent_ns) VALUES (?, ?, ?, ?, ?)");
                insert.setString(4, payload);
                PreparedStatement update = c.prepareStatement("UPDATE " + table
                        + " SET status = COALESCE(?, status), score = ?, sent_ns = ? WHERE id = ?");
                return new Statements(insert, update);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public CompletableFuture<?> write(Doc doc) {
        return CompletableFuture.runAsync(() -> {
            try {
                Statements st = statements.get();
                if (doc.targetId() == null) {
                    PreparedStatement ps = st.insert();
                    ps.setString(1, doc.owner());
                    ps.setString(2, doc.status());
                    ps.setInt(3, doc.score());
                    ps.setLong(5, doc.sentNs());
                    ps.executeUpdate();
                } else {
                    PreparedStatement ps = st.update();
                    ps.setString(1, doc.status());
                    ps.setInt(2, doc.score());
                    ps.setLong(3, doc.sentNs());
                    ps.setLong(4, Long.parseLong(doc.targetId()));
                    if (ps.executeUpdate() != 1) throw new IllegalStateException("no row " + doc.targetId() + " to update");
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, pool);
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (all) {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
