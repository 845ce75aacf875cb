package io.eddy.bench.env;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL 15 cluster: {@code initdb} into a temporary folder, {@code pg_ctl start} on
 * 127.0.0.1 and a free port, run as the {@code postgres} user when the harness is root. Durability matches
 * Eddy's: {@code fsync=on}, {@code synchronous_commit=on} (every acknowledged commit is synced). Logical
 * decoding is enabled ({@code wal_level=logical}) so the logical peer can open a replication slot.
 * Checkpoints happen only when the harness asks ({@link #checkpoint}, between scenarios, and when the WAL
 * passes {@code max_wal_size}), not every five minutes in the middle of a measured phase, whether that
 * phase is PostgreSQL's own or Eddy's on the same disk.
 */
public final class PostgresCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final int port;

    private PostgresCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Creates and starts the cluster; {@code maxConnections} must cover every client and listener. */
    public static PostgresCluster start(int maxConnections) throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL 15 is not installed (" + BIN + "/initdb); apt-get install postgresql-15");
        }
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "eddy-bench-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        if (Machine.isRoot()) run(List.of("chown", "postgres:postgres", dir.toString()), false);
        int port = Machine.freePort();
        Path data = dir.resolve("data");
        run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--no-sync", "--no-instructions"), true);
        String opts = String.join(" ", "-p", Integer.toString(port), "-k", dir.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=on", "-c", "synchronous_commit=on",
                "-c", "wal_level=logical", "-c", "max_wal_senders=8", "-c", "max_replication_slots=8",
                "-c", "max_connections=" + maxConnections, "-c", "shared_buffers=256MB",
                "-c", "max_wal_size=4GB", "-c", "wal_sender_timeout=0", "-c", "checkpoint_timeout=1d");
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(),
                "-w", "-t", "60", "-o", opts, "start"), true);
        log.info("PostgreSQL 15 on 127.0.0.1:{} ({})", port, dir);
        return new PostgresCluster(dir, port);
    }

    private static void run(List<String> cmd, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && Machine.isRoot()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed:\n" + out);
        }
    }

    public int port() { return port; }

    public String url() { return "jdbc:postgresql://127.0.0.1:" + port + "/postgres"; }

    /** A new autocommit connection as {@code postgres}. */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        PGProperty.USER.set(p, "postgres");
        PGProperty.TCP_NO_DELAY.set(p, true);
        Connection c = DriverManager.getConnection(url(), p);
        c.setAutoCommit(true);
        return c;
    }

    /**
     * Writes every dirty buffer out now and waits for it ({@code CHECKPOINT}), so that what earlier
     * phases left in memory is not flushed during the next measured one.
     */
    public void checkpoint() throws SQLException {
        try (Connection c = connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    /** The server's version as it reports it ({@code SHOW server_version}, e.g. {@code 15.14 (Debian 15.14-0+deb12u1)}). */
    public String serverVersion() throws SQLException {
        try (Connection c = connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

        /** A new replication connection (for {@code PGReplicationStream}). */
    public Connection connectReplication() throws SQLException {
        Properties p = new Properties();
        PGProperty.USER.set(p, "postgres");
        PGProperty.REPLICATION.set(p, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
        PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        PGProperty.TCP_NO_DELAY.set(p, true);
        return DriverManager.getConnection(url(), p);
    }

    /** CPU seconds used by the postmaster and all its backends so far. */
    public double cpuSeconds() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).getFirst().trim());
            return Machine.cpuSeconds(pid, true);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        try {
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), true);
        } catch (Exception e) {
            log.warn("pg_ctl stop failed: {}", e.getMessage());
        }
        Files2.deleteTree(dir);
    }
}
