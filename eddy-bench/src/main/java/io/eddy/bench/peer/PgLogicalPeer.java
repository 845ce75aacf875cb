package io.eddy.bench.peer;

import io.eddy.bench.client.EventScan;
import io.eddy.bench.env.PostgresCluster;
import io.eddy.bench.workload.Clock;
import io.eddy.bench.workload.Latency;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * PostgreSQL live queries with logical decoding: a {@link LogicalRouter} on a {@code pgoutput} slot of the
 * table, pushing rows to the subscribers of a filter ({@link RowRouting}: F1 unless told) over loopback TCP
 * sockets; this class is the subscriber side (one
 * reader thread per socket, {@code connections} sockets carrying all subscribers) and measures
 * latency from the {@code sent_ns} in each row (from the send) and from the {@code commit_us} the router adds
 * (from the commit). The router runs in the harness's JVM,
 * on its own thread, as a standalone service would.
 */
public final class PgLogicalPeer implements AutoCloseable {
    private final ServerSocket acceptor;
    private final LogicalRouter router;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final LongAdder delivered = new LongAdder();
    private volatile Latency latency = new Latency();
    private volatile Latency commitLatency = new Latency();

    /** Starts router and F1 subscribers for owners {@code o0..o<subscribers-1>} of {@code table}. */
    public PgLogicalPeer(PostgresCluster pg, String table, int subscribers, int connections) throws IOException, SQLException {
        this(pg, table, RowRouting.of(io.eddy.bench.workload.Filter.F1, subscribers, null), connections);
    }

    /** Starts router and the subscribers of {@code routing} on {@code table}, over {@code connections} sockets. */
    public PgLogicalPeer(PostgresCluster pg, String table, RowRouting routing, int connections) throws IOException, SQLException {
        connections = Math.max(1, Math.min(connections, routing.subscribers()));
        acceptor = new ServerSocket(0, connections + 16, InetAddress.getLoopbackAddress());
        List<Socket> accepted = new ArrayList<>();
        int n = connections;
        Thread acceptThread = new Thread(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    Socket s = acceptor.accept();
                    s.setTcpNoDelay(true);
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                }
            } catch (IOException ignored) {
                // closed
            }
        }, "logical-accept");
        acceptThread.start();
        router = new LogicalRouter(pg, table, acceptor, connections, routing);
        try {
            acceptThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (accepted) {
            sockets.addAll(accepted);
        }
        if (sockets.size() != connections) throw new IOException("only " + sockets.size() + " subscriber sockets connected");
        for (Socket s : sockets) {
            Thread t = new Thread(() -> read(s), "logical-subscriber");
            t.setDaemon(true);
            readers.add(t);
            t.start();
        }
    }

    private void read(Socket s) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 64 * 1024))) {
            byte[] buf = new byte[4096];
            while (true) {
                in.readInt(); // subscriber
                int len = in.readInt();
                if (len > buf.length) buf = new byte[len * 2];
                in.readFully(buf, 0, len);
                long sent = EventScan.sentNs(buf, 0, len);
                if (sent >= 0) latency.recordNanos(Clock.now() - sent);
                long committed = EventScan.commitMicros(buf, 0, len);
                if (committed >= 0) commitLatency.recordNanos((Clock.wallMicros() - committed) * 1000);
                delivered.increment();
            }
        } catch (EOFException ignored) {
            // router closed
        } catch (IOException ignored) {
            // closed
        }
    }

    public void latency(Latency l) { this.latency = l; }

    public void commitLatency(Latency l) { this.commitLatency = l; }

    public long delivered() { return delivered.sum(); }

    public Throwable routerFailure() { return router.failure(); }

    public long awaitDelivered(long expected, double seconds) throws InterruptedException {
        return Await.count(delivered::sum, expected, seconds);
    }

    @Override
    public void close() {
        router.close();
        try {
            acceptor.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
