package io.eddy.bench.peer;

import io.eddy.bench.client.EventScan;
import io.eddy.bench.env.PostgresCluster;
import io.eddy.bench.workload.Clock;
import io.eddy.bench.workload.Latency;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL live queries with {@code LISTEN/NOTIFY}: an {@code AFTER INSERT OR UPDATE OR DELETE} row
 * trigger calls {@code pg_notify('o_' || owner, row_to_json(row)::text)}, so each F1 subscriber
 * {@code LISTEN}s on the channel of its owner key. Subscribers are spread over {@code groups} listening
 * connections (one thread each, each connection {@code LISTEN}ing on its share of the channels), as an
 * application server multiplexing many users onto few connections would.
 *
 * <p>Polling floor: each listener thread blocks in pgjdbc's {@code getNotifications(timeoutMillis)}, which
 * returns as soon as a notification is read from the socket (the timeout only bounds the wait when
 * nothing arrives, so the thread can notice shutdown). There is no polling interval added to the latency;
 * the legacy pattern (a dummy {@code SELECT 1} then {@code getNotifications()} every few hundred
 * milliseconds) would add half its interval on average, and is not used.
 */
public final class PgNotifyPeer implements AutoCloseable {
    private final PostgresCluster pg;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder delivered = new LongAdder();
    private volatile Latency latency = new Latency();
    private volatile Latency commitLatency = new Latency();
    private volatile boolean stop;

    public PgNotifyPeer(PostgresCluster pg) {
        this.pg = pg;
    }

    /** Adds the NOTIFY trigger to {@code table}; the notification is the row as JSON. */
    public static void installTrigger(PostgresCluster pg, String table) throws SQLException {
        installTrigger(pg, table, false);
    }

    /**
     * Adds the NOTIFY trigger to {@code table}; with {@code stampCommit} the notification also carries
     * {@code commit_us}, the wall clock when the trigger ran: a trigger cannot know its commit's time, and under
     * autocommit the commit follows right after, so latency measured from it includes the commit's WAL flush, as
     * Eddy's {@code txn_ts} (taken before its synced write) does.
     */
    public static void installTrigger(PostgresCluster pg, String table, boolean stampCommit) throws SQLException {
        String row = stampCommit
                ? "rtrim(row_to_json(%s)::text, '}') || ',\"commit_us\":' || (extract(epoch from clock_timestamp()) * 1000000)::bigint || '}'"
                : "row_to_json(%s)::text";
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION " + table + "_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF TG_OP = 'DELETE' THEN PERFORM pg_notify('o_' || OLD.owner, " + row.formatted("OLD") + "); RETURN OLD; END IF; "
                    + "PERFORM pg_notify('o_' || NEW.owner, " + row.formatted("NEW") + "); RETURN NEW; END $$");
            s.execute("CREATE TRIGGER " + table + "_notify AFTER INSERT OR UPDATE OR DELETE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION " + table + "_notify()");
        }
    }

    public void latency(Latency l) { this.latency = l; }

    public void commitLatency(Latency l) { this.commitLatency = l; }

    public long delivered() { return delivered.sum(); }

    /** Subscribes owners {@code o0..o<subscribers-1>}, spread over {@code groups} listening connections. */
    public void listen(int subscribers, int groups) throws SQLException {
        groups = Math.max(1, Math.min(groups, subscribers));
        for (int g = 0; g < groups; g++) {
            Connection c = pg.connect();
            connections.add(c);
            try (Statement s = c.createStatement()) {
                StringBuilder sql = new StringBuilder();
                int inBatch = 0;
                for (int i = g; i < subscribers; i += groups) {
                    sql.append("LISTEN o_o").append(i).append(';');
                    if (++inBatch == 500) {
                        s.execute(sql.toString());
                        sql.setLength(0);
                        inBatch = 0;
                    }
                }
                if (inBatch > 0) s.execute(sql.toString());
            }
            PGConnection pgc = c.unwrap(PGConnection.class);
            Thread t = new Thread(() -> loop(pgc), "pg-listen-" + g);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void loop(PGConnection pgc) {
        while (!stop) {
            PGNotification[] ns;
            try {
                ns = pgc.getNotifications(200);
            } catch (SQLException e) {
                if (!stop) throw new IllegalStateException("LISTEN connection failed", e);
                return;
            }
            if (ns == null) continue;
            long now = Clock.now();
            long wallNow = Clock.wallMicros();
            for (PGNotification n : ns) {
                byte[] b = n.getParameter().getBytes(StandardCharsets.UTF_8);
                long sent = EventScan.sentNs(b, 0, b.length);
                if (sent >= 0) latency.recordNanos(now - sent);
                long committed = EventScan.commitMicros(b, 0, b.length);
                if (committed >= 0) commitLatency.recordNanos((wallNow - committed) * 1000);
                delivered.increment();
            }
        }
    }

    /** Waits until {@code delivered()} reaches {@code expected}, or nothing arrives for 3 s, or {@code seconds} pass. */
    public long awaitDelivered(long expected, double seconds) throws InterruptedException {
        return Await.count(delivered::sum, expected, seconds);
    }

    @Override
    public void close() {
        stop = true;
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Connection c : connections) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }
}
