package io.eddy.bench.peer;

import io.eddy.bench.env.PostgresCluster;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/**
 * The "build it yourself on Postgres" router: reads the {@code pgoutput} stream of a logical replication
 * slot through pgjdbc's {@code PGReplicationStream}, evaluates each subscriber's filter on every changed
 * row, and pushes matching rows as JSON to subscriber connections: loopback TCP sockets, each carrying
 * many subscribers (frames of {@code [int subscriber][int length][bytes]}), flushed at every commit. Which
 * subscribers a row is for is the {@link RowRouting} of the workload's filter (F1 looked up by owner in a
 * hash map, as any sane router would; F3's predicate evaluated for each subscriber, one by one); a row is
 * encoded once, however many subscribers it goes to.
 */
public final class LogicalRouter implements AutoCloseable {
    private final Connection replication;
    private final PGReplicationStream stream;
    private final String slot;
    private final PostgresCluster pg;
    private final List<DataOutputStream> outs;
    private final List<Socket> sockets;
    private final RowRouting routing;
    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;

    /**
     * Creates publication and slot for {@code table}, connects to the subscriber acceptor {@code acceptor}
     * with {@code connections} sockets, and starts routing rows by {@code routing}. Subscriber {@code i} is on
     * connection {@code i % connections}.
     */
    public LogicalRouter(PostgresCluster pg, String table, ServerSocket acceptor, int connections, RowRouting routing)
            throws SQLException, IOException {
        this.pg = pg;
        this.routing = routing;
        this.slot = "slot_" + table;
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("DROP PUBLICATION IF EXISTS pub_" + table);
            s.execute("CREATE PUBLICATION pub_" + table + " FOR TABLE " + table);
        }
        replication = pg.connectReplication();
        PGConnection rc = replication.unwrap(PGConnection.class);
        rc.getReplicationAPI().createReplicationSlot().logical().withSlotName(slot).withOutputPlugin("pgoutput").make();
        stream = rc.getReplicationAPI().replicationStream().logical().withSlotName(slot)
                .withSlotOption("proto_version", "1").withSlotOption("publication_names", "pub_" + table)
                .withStatusInterval(1, TimeUnit.SECONDS).start();
        outs = new ArrayList<>();
        sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), acceptor.getLocalPort());
            s.setTcpNoDelay(true);
            sockets.add(s);
            outs.add(new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 64 * 1024)));
        }
        thread = new Thread(this::run, "logical-router");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        PgOutputDecoder decoder = new PgOutputDecoder();
        boolean[] dirty = new boolean[outs.size()];
        PgOutputDecoder.Listener listener = new PgOutputDecoder.Listener() {
            private PgOutputDecoder.Row current;
            private byte[] json; // current's, encoded at its first subscriber
            private final IntConsumer deliver = sub -> {
                if (json == null) json = PgOutputDecoder.json(current).getBytes(StandardCharsets.UTF_8);
                push(sub, json, dirty);
            };

            @Override
            public void onRow(PgOutputDecoder.Row row) {
                current = row;
                json = null;
                routing.route(row, deliver);
                current = null;
            }

            @Override
            public void onCommit() {
                for (int i = 0; i < dirty.length; i++) {
                    if (dirty[i]) {
                        try {
                            outs.get(i).flush();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                        dirty[i] = false;
                    }
                }
            }
        };
        try {
            while (!stop) {
                ByteBuffer msg = stream.readPending();
                if (msg == null) {
                    msg = stream.read(); // blocks until the next message
                }
                decoder.decode(msg, listener);
                stream.setAppliedLSN(stream.getLastReceiveLSN());
                stream.setFlushedLSN(stream.getLastReceiveLSN());
            }
        } catch (Throwable t) {
            if (!stop) failure = t;
        }
    }

    private void push(int sub, byte[] json, boolean[] dirty) {
        int c = sub % outs.size();
        DataOutputStream out = outs.get(c);
        try {
            out.writeInt(sub);
            out.writeInt(json.length);
            out.write(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        dirty[c] = true;
    }

    /**
     * Commits a transaction every 50 ms until interrupted. Closing the stream sends CopyDone and waits for
     * the WAL sender to end the copy, but a WAL sender notices CopyDone only when it wakes, and with no
     * writes and {@code wal_sender_timeout=0} (no keepalives) it wakes at the next WAL PostgreSQL writes by
     * itself (a running-transactions record every 15 s): each close waited 5–10 s for it. A commit wakes it.
     */
    private void nudgeWalSender() {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(50);
                s.execute("SELECT txid_current()"); // takes a transaction id: its commit is written and flushed
            }
        } catch (InterruptedException | SQLException e) {
            // the stream is closed (or the cluster going away)
        }
    }

    /** The router's failure, if it stopped with one. */
    public Throwable failure() { return failure; }

    @Override
    public void close() {
        stop = true;
        Thread nudge = Thread.ofVirtual().name("logical-close-nudge").start(this::nudgeWalSender);
        try {
            stream.close();
        } catch (SQLException ignored) {
            // closing anyway
        } finally {
            nudge.interrupt();
        }
        try {
            replication.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        } catch (SQLException ignored) {
            // the cluster is thrown away anyway
        }
    }
}
